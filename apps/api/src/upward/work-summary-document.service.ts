import { Injectable } from '@nestjs/common';
import { AlignmentType, BorderStyle, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { footer, heading, newDocument, paragraph, table, toBuffer } from '../reports/pdf-canvas';
import { districtText } from '../reports/report.types';
import type { WorkSummary } from './work-summary.service';

export const DOCUMENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;
export type DocumentFormat = keyof typeof DOCUMENT_TYPES;

const TITLE = '工贸行业安全生产治本攻坚三年行动半年工作总结';
const FONT = '宋体';

function subtitle(s: WorkSummary): string {
  return `区域：${districtText(s.regionCode)}    统计期：${s.from} 至 ${s.to}`;
}

function stateLine(s: WorkSummary): string {
  return s.status === 'final'
    ? `定稿：${s.finalizedBy ?? ''}，${(s.finalizedAt ?? '').slice(0, 10)}。本稿数字与文字已封存。`
    : `草稿（第 ${s.revision} 稿，${s.updatedBy} 保存于 ${s.updatedAt.slice(0, 10)}），尚未定稿。`;
}

/** The work summary as a Word document (DOCX) and as PDF: the same sections, figures and narratives. */
@Injectable()
export class WorkSummaryDocumentService {
  render(s: WorkSummary, format: DocumentFormat): Promise<Buffer> {
    return format === 'docx' ? this.docx(s) : this.pdf(s);
  }

  async docx(s: WorkSummary): Promise<Buffer> {
    const run = (text: string, extra: { bold?: boolean; size?: number; color?: string } = {}) => new TextRun({ text, font: FONT, ...extra });
    const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
    const borders = { top: border, bottom: border, left: border, right: border };
    const cell = (text: string, width: number, bold = false) => new TableCell({ borders, width: { size: width, type: WidthType.PERCENTAGE }, children: [new Paragraph({ children: [run(text, { bold, size: 21 })] })] });
    const children: (Paragraph | Table)[] = [
      new Paragraph({ alignment: AlignmentType.CENTER, heading: HeadingLevel.TITLE, children: [run(TITLE, { bold: true, size: 36 })] }),
      new Paragraph({ alignment: AlignmentType.CENTER, children: [run(subtitle(s), { size: 22 })] }),
      new Paragraph({ alignment: AlignmentType.CENTER, children: [run(stateLine(s), { size: 18, color: '666666' })] }),
    ];
    for (const section of s.sections) {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, spacing: { before: 300, after: 120 }, children: [run(section.title, { bold: true, size: 28 })] }));
      children.push(new Paragraph({ children: [run(`依据：${section.basis}`, { size: 18, color: '666666' })] }));
      if (section.rows.length > 0) {
        children.push(
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: [new TableRow({ tableHeader: true, children: [cell('指标', 45, true), cell('本期', 55, true)] }), ...section.rows.map(([k, v]) => new TableRow({ children: [cell(k, 45), cell(v, 55)] }))],
          }),
        );
      }
      if (section.note) children.push(new Paragraph({ children: [run(section.note, { size: 18, color: '666666' })] }));
      const text = section.narrative.trim() === '' ? ['（待填写）'] : section.narrative.split(/\r?\n/);
      for (const line of text) children.push(new Paragraph({ spacing: { before: 80 }, indent: { firstLine: 420 }, children: [run(line, { size: 24 })] }));
    }
    const doc = new Document({ creator: 'Safety Watch', title: TITLE, sections: [{ children }] });
    return Packer.toBuffer(doc);
  }

  async pdf(s: WorkSummary): Promise<Buffer> {
    const doc = newDocument(TITLE);
    doc.fontSize(18).fillColor('#0f2a5c').text(TITLE, { align: 'center' });
    doc.moveDown(0.3);
    paragraph(doc, subtitle(s), 10);
    paragraph(doc, stateLine(s), 8);
    for (const section of s.sections) {
      heading(doc, section.title);
      paragraph(doc, `依据：${section.basis}`, 8);
      doc.moveDown(0.3);
      if (section.rows.length > 0) table(doc, ['指标', '本期'], section.rows, [0.45, 0.55], 9);
      if (section.note) paragraph(doc, section.note, 8);
      doc.moveDown(0.3);
      paragraph(doc, section.narrative.trim() === '' ? '（待填写）' : section.narrative, 10);
    }
    footer(doc, `${TITLE} · ${s.from} 至 ${s.to}`);
    return toBuffer(doc);
  }
}

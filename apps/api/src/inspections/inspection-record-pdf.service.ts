import { Injectable } from '@nestjs/common';
import { findCatalogueItem } from '@sw/hazards';
import { CHECK_RESULT_ZH, type CheckResult, INSPECTION_MODE_ZH, INSPECTION_STATUS_ZH } from '@sw/inspections';
import { type Doc, footer, heading, newDocument, paragraph, table, toBuffer } from '../reports/pdf-canvas';
import { districtText, shanghaiTime } from '../reports/report.types';
import type { InspectionsService } from './inspections.service';

type Inspection = Awaited<ReturnType<InspectionsService['get']>>;

/** 现场检查记录: one printable record per visit, Chinese in the embedded CJK font (the half-year report's canvas). */
@Injectable()
export class InspectionRecordPdfService {
  async render(i: Inspection): Promise<Buffer> {
    const title = '安全生产行政执法现场检查记录';
    const doc = newDocument(title);
    doc.fontSize(17).fillColor('#0f2a5c').text(title, { align: 'center' });
    doc.moveDown(0.4);
    header(doc, i);
    checklist(doc, i);
    findings(doc, i);
    order(doc, i);
    signatures(doc, i);
    footer(doc, `${title} · ${i.enterpriseName} · ${i.visitDate}`);
    return toBuffer(doc);
  }
}

function header(doc: Doc, i: Inspection): void {
  table(
    doc,
    ['项目', '内容'],
    [
      ['被检查单位', i.enterpriseName],
      ['所在地区', districtText(i.regionCode)],
      ['检查方式', INSPECTION_MODE_ZH[i.mode]],
      ['检查日期', i.visitDate],
      ['状态', INSPECTION_STATUS_ZH[i.status]],
      ['检查人员（执法证号）', i.inspectors.map((x) => `${x.name}（${x.certificateNo}）`).join('、') || '（未指定）'],
      ['记录编号', i.id],
    ],
    [0.25, 0.75],
    9,
  );
  if (i.subject) paragraph(doc, `检查事由：${i.subject}`);
  if (i.summary) paragraph(doc, `检查情况：${i.summary}`);
}

function checklist(doc: Doc, i: Inspection): void {
  heading(doc, '一、检查内容（《工贸企业重大事故隐患判定标准》）');
  table(
    doc,
    ['依据', '检查项', '结果', '说明'],
    i.checklist.map((c) => [c.label, c.title, c.result ? CHECK_RESULT_ZH[c.result as CheckResult] : '未检查', c.note ?? '']),
    [0.14, 0.5, 0.1, 0.26],
  );
  if (i.photos.length > 0) paragraph(doc, `现场照片 ${i.photos.length} 张（存档，SHA-256 见系统记录）。`, 8);
}

function findings(doc: Doc, i: Inspection): void {
  heading(doc, '二、发现的问题');
  table(
    doc,
    ['类别', '依据', '问题描述', '隐患台账'],
    i.findings.map((f) => [
      f.kind === 'major' ? '重大事故隐患' : '一般问题',
      f.article ? (findCatalogueItem(f.article, f.item)?.label ?? `第${f.article}条`) : '—',
      f.description,
      f.hazardId ? `已录入并确认 ${f.hazardId.slice(0, 8)}` : '—',
    ]),
    [0.16, 0.14, 0.5, 0.2],
  );
}

function order(doc: Doc, i: Inspection): void {
  heading(doc, '三、责令整改、复查与行政处罚');
  if (i.order) {
    paragraph(doc, `责令限期整改指令书 ${i.order.number}：限 ${i.order.deadline} 前整改完毕。要求：${i.order.requirements}`);
    paragraph(doc, `整改状态：${i.order.status === 'closed' ? `已复查合格（${shanghaiTime(i.order.closedAt)}）` : '整改中'}`);
  } else {
    paragraph(doc, '未下达责令整改指令。');
  }
  for (const r of i.reinspections) paragraph(doc, `复查 ${r.visitDate}：${r.passed ? '合格' : '不合格'}。${r.note}`);
  for (const p of i.penalties) paragraph(doc, `行政处罚决定书 ${p.decisionNumber}（${p.decidedOn}）：依据 ${p.legalBasis}，罚款人民币 ${p.amount.toFixed(2)} 元。`);
  if (i.penalties.length === 0) paragraph(doc, '无行政处罚。');
}

function signatures(doc: Doc, i: Inspection): void {
  doc.moveDown(1.2);
  paragraph(doc, `检查人员签名：${'＿'.repeat(8)}    ${'＿'.repeat(8)}        被检查单位负责人签名：${'＿'.repeat(8)}`, 10);
  paragraph(doc, `生成于 ${shanghaiTime(new Date().toISOString())}（北京时间）。本记录由 ${i.inspectors.length} 名执法人员现场检查形成。`, 8);
}

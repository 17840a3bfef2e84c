// Small drawing helpers over pdfkit: tables that break across pages and vector charts (bars and
// lines) drawn with pdfkit's own primitives, so the PDF needs no rasteriser and stays sharp.
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';

/** Debian `fonts-wqy-microhei`: a CJK font pdfkit embeds (subset) so Chinese renders everywhere. */
export const CJK_FONT = { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' };

export const COLORS = ['#1f5fbf', '#e07b00', '#2e9d5b', '#c0392b', '#7d4cdb', '#6b7280'];
const MARGIN = 48;

export type Doc = PDFKit.PDFDocument;

export function newDocument(title: string): Doc {
  if (!existsSync(CJK_FONT.path)) throw new Error(`the CJK font ${CJK_FONT.path} is missing (Debian package fonts-wqy-microhei)`);
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: title, Producer: 'Safety Watch' }, bufferPages: true });
  doc.registerFont('cjk', CJK_FONT.path, CJK_FONT.family);
  doc.font('cjk');
  return doc;
}

export function toBuffer(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

const contentWidth = (doc: Doc) => doc.page.width - 2 * MARGIN;
const bottom = (doc: Doc) => doc.page.height - MARGIN;

/** Starts a new page when less than `height` is left. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

export function heading(doc: Doc, text: string): void {
  ensureSpace(doc, 60);
  doc.moveDown(0.6).fontSize(13).fillColor('#111827').text(text, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.3);
}

export function paragraph(doc: Doc, text: string, size = 9): void {
  doc.fontSize(size).fillColor('#374151').text(text, MARGIN, doc.y, { width: contentWidth(doc) });
}

/** A table; `widths` are fractions of the content width; the header repeats on each new page. */
export function table(doc: Doc, header: string[], rows: string[][], widths: number[], size = 8): void {
  const w = widths.map((f) => f * contentWidth(doc));
  const rowHeight = size + 8;
  const drawRow = (cells: string[], head: boolean) => {
    const y = doc.y;
    if (head) doc.rect(MARGIN, y, contentWidth(doc), rowHeight).fill('#e5ecf6');
    let x = MARGIN;
    doc.fontSize(size).fillColor(head ? '#111827' : '#1f2937');
    cells.forEach((c, i) => {
      doc.text(c, x + 3, y + 4, { width: (w[i] ?? 0) - 6, height: rowHeight - 4, lineBreak: false, ellipsis: true });
      x += w[i] ?? 0;
    });
    doc.moveTo(MARGIN, y + rowHeight).lineTo(MARGIN + contentWidth(doc), y + rowHeight).lineWidth(0.4).strokeColor('#c7ced9').stroke();
    doc.x = MARGIN;
    doc.y = y + rowHeight;
  };
  ensureSpace(doc, rowHeight * Math.min(rows.length + 1, 4));
  drawRow(header, true);
  for (const r of rows) {
    if (doc.y + rowHeight > bottom(doc)) {
      doc.addPage();
      drawRow(header, true);
    }
    drawRow(r, false);
  }
  if (rows.length === 0) paragraph(doc, '（无）', size);
  doc.moveDown(0.5);
}

export interface Series {
  name: string;
  values: (number | null)[];
}

function frame(doc: Doc, title: string, height: number): { x: number; y: number; w: number; h: number } {
  ensureSpace(doc, height + 40);
  doc.fontSize(10).fillColor('#111827').text(title, MARGIN, doc.y, { width: contentWidth(doc), align: 'center' });
  const top = doc.y + 6;
  return { x: MARGIN + 40, y: top, w: contentWidth(doc) - 50, h: height };
}

function axes(doc: Doc, f: { x: number; y: number; w: number; h: number }, max: number, format: (v: number) => string): void {
  doc.lineWidth(0.4);
  for (let i = 0; i <= 4; i++) {
    const y = f.y + f.h - (f.h * i) / 4;
    doc.moveTo(f.x, y).lineTo(f.x + f.w, y).strokeColor(i === 0 ? '#4b5563' : '#e5e7eb').stroke();
    doc.fontSize(7).fillColor('#4b5563').text(format((max * i) / 4), f.x - 40, y - 4, { width: 36, align: 'right', lineBreak: false });
  }
}

function legend(doc: Doc, series: Series[], y: number): void {
  let x = MARGIN + 40;
  series.forEach((s, i) => {
    doc.rect(x, y + 2, 8, 8).fill(COLORS[i % COLORS.length] as string);
    doc.fontSize(8).fillColor('#1f2937').text(s.name, x + 11, y + 1, { lineBreak: false });
    x += 16 + doc.widthOfString(s.name) + 14;
  });
}

/** Grouped vertical bars, one group per label; `max` fixes the scale (1 for rates). */
export function barChart(doc: Doc, title: string, labels: string[], series: Series[], opts: { max?: number; format?: (v: number) => string; height?: number } = {}): void {
  const f = frame(doc, title, opts.height ?? 150);
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = opts.max ?? Math.max(1, niceCeil(Math.max(0, ...all)));
  const format = opts.format ?? ((v: number) => String(Math.round(v)));
  axes(doc, f, max, format);
  const groupW = f.w / Math.max(1, labels.length);
  const barW = Math.min(22, (groupW * 0.8) / Math.max(1, series.length));
  labels.forEach((label, g) => {
    const gx = f.x + g * groupW + (groupW - barW * series.length) / 2;
    series.forEach((s, i) => {
      const v = s.values[g];
      if (v === null || v === undefined) return;
      const h = (f.h * v) / max;
      doc.rect(gx + i * barW, f.y + f.h - h, barW - 1, h).fill(COLORS[i % COLORS.length] as string);
    });
    doc.fontSize(7).fillColor('#374151').text(label, f.x + g * groupW, f.y + f.h + 3, { width: groupW, align: 'center', lineBreak: false, ellipsis: true });
  });
  legend(doc, series, f.y + f.h + 16);
  doc.x = MARGIN;
  doc.y = f.y + f.h + 34;
}

/** Lines with markers over the labels; rates by default (0 … 100 %). */
export function lineChart(doc: Doc, title: string, labels: string[], series: Series[], opts: { height?: number } = {}): void {
  const f = frame(doc, title, opts.height ?? 150);
  axes(doc, f, 1, (v) => `${Math.round(v * 100)}%`);
  const step = f.w / Math.max(1, labels.length);
  const xAt = (i: number) => f.x + step * (i + 0.5);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] as string;
    let drawing = false;
    s.values.forEach((v, k) => {
      if (v === null) return void (drawing = false);
      const y = f.y + f.h - f.h * v;
      if (drawing) doc.lineTo(xAt(k), y);
      else doc.moveTo(xAt(k), y);
      drawing = true;
    });
    doc.lineWidth(1.6).strokeColor(color).stroke();
    s.values.forEach((v, k) => {
      if (v !== null) doc.circle(xAt(k), f.y + f.h - f.h * v, 2.2).fill(color);
    });
  });
  labels.forEach((label, k) => doc.fontSize(7).fillColor('#374151').text(label, xAt(k) - step / 2, f.y + f.h + 3, { width: step, align: 'center', lineBreak: false }));
  legend(doc, series, f.y + f.h + 16);
  doc.x = MARGIN;
  doc.y = f.y + f.h + 34;
}

/** Horizontal bars, one per label (top lists, causes). */
export function hbarChart(doc: Doc, title: string, labels: string[], values: number[], color = COLORS[0] as string): void {
  const rowH = 14;
  const f = frame(doc, title, Math.max(1, labels.length) * rowH);
  const labelW = 150;
  const max = Math.max(1, ...values);
  labels.forEach((label, i) => {
    const y = f.y + i * rowH;
    doc.fontSize(8).fillColor('#1f2937').text(label, MARGIN, y + 2, { width: labelW - 6, align: 'right', lineBreak: false, ellipsis: true });
    const w = ((f.w - labelW - 20) * (values[i] ?? 0)) / max;
    doc.rect(MARGIN + labelW, y + 2, Math.max(w, 0.5), rowH - 4).fill(color);
    doc.fontSize(8).fillColor('#1f2937').text(String(values[i] ?? 0), MARGIN + labelW + w + 4, y + 2, { lineBreak: false });
  });
  doc.x = MARGIN;
  doc.y = f.y + f.h + 10;
}

function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

export function footer(doc: Doc, text: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0; // writing inside the bottom margin must not start a new page
    doc.fontSize(7).fillColor('#6b7280').text(`${text}  第 ${i + 1} / ${range.count} 页`, MARGIN, doc.page.height - MARGIN + 16, { width: contentWidth(doc), align: 'center', lineBreak: false });
  }
}

import { Injectable } from '@nestjs/common';
import { Workbook, type Worksheet } from 'exceljs';
import { safeCell } from '../files/spreadsheet-cell';
import { CATEGORY_ZH, type HalfYearReport, TIER_ZH } from './report.types';

type Cell = string | number | null;

function sheet(wb: Workbook, name: string, header: string[], rows: Cell[][], rateColumns: number[] = []): Worksheet {
  const ws = wb.addWorksheet(name);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r.map(safeCell)); // names come from enterprises: no formulas
  header.forEach((h, i) => {
    const col = ws.getColumn(i + 1);
    col.width = Math.max(12, h.length * 2 + 4);
    if (rateColumns.includes(i)) col.numFmt = '0.00%';
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return ws;
}

/**
 * The half-year report as XLSX: the same figures as the PDF, rates stored as the 4-decimal
 * fractions of the API (formatted as percentages), so a reader can recompute them.
 */
@Injectable()
export class ReportXlsxService {
  async render(r: HalfYearReport): Promise<Buffer> {
    const wb = new Workbook();
    wb.creator = 'Safety Watch';
    const c = r.connection;
    const a = r.alarms;
    const l = r.load;
    sheet(
      wb,
      '主要指标',
      ['指标', '数值', '分子', '分母', '说明'],
      [
        ['区域', r.regionCode ?? '全部', null, null, `${r.from} 至 ${r.to}`],
        ['接入率', c.connectionRate, c.connected, c.inScope, `截至 ${c.asOf} 末`],
        ['在线率（期末）', c.onlineRate, c.online, null, '已接入、非停产企业'],
        ['在线率（时间加权）', r.online.onlineRate, null, r.online.enterprises, '企业在线时长 ÷ 计入时长的平均值'],
        ['数据完整率', r.completeness.completeness, r.completeness.received, r.completeness.expected, `${r.completeness.points} 个必测点位`],
        ['报警处置率', a.disposalRate, a.disposed, a.raised, null],
        ['及时响应率', a.timelyAckRate, a.ackedInTime, a.tiered, '红 5 分钟、橙 15 分钟、黄 60 分钟'],
        ['及时处置率', a.timelyDisposalRate, a.disposedInTime, a.tiered, '红橙 24 小时、黄 72 小时'],
        ['每 10 分钟报警数', l.alarmsPer10Min, l.annunciations, l.windows, 'ISA-18.2'],
        ['报警泛滥窗口占比', l.floodWindowRate, l.floodWindows, l.windows, '10 分钟超过 10 条'],
        ['长期报警', l.stale, null, null, '持续 > 24 小时'],
        ['振荡报警', l.chattering, null, null, '1 分钟内 ≥ 3 次触发'],
      ],
    );
    sheet(
      wb,
      '趋势',
      ['月份', '接入率', '在线率', '数据完整率', '处置率', '及时响应率', '及时处置率', '报警数'],
      r.trend.map((t) => [t.month, t.connectionRate, t.onlineRate, t.completeness, t.disposalRate, t.timelyAckRate, t.timelyDisposalRate, t.alarms]),
      [1, 2, 3, 4, 5, 6],
    );
    sheet(
      wb,
      '分区县',
      ['区县', '应接入', '已接入', '接入率', '期末在线', '期末在线率', '时间加权在线率', '报警数', '处置率'],
      c.byDistrict.map((d) => {
        const al = a.byDistrict.find((x) => x.regionCode === d.regionCode);
        return [d.regionCode, d.inScope, d.connected, d.connectionRate, d.online, d.onlineRate, r.online.byDistrict.find((x) => x.regionCode === d.regionCode)?.onlineRate ?? null, al?.raised ?? 0, al?.disposalRate ?? null];
      }),
      [3, 5, 6, 8],
    );
    sheet(
      wb,
      '分行业',
      ['行业类别', '代码', '应接入', '已接入', '接入率', '期末在线', '期末在线率', '时间加权在线率', '报警数', '处置率'],
      c.byCategory.map((d) => {
        const al = a.byCategory.find((x) => x.category === d.category);
        return [CATEGORY_ZH[d.category] ?? d.category, d.category, d.inScope, d.connected, d.connectionRate, d.online, d.onlineRate, r.online.byCategory.find((x) => x.category === d.category)?.onlineRate ?? null, al?.raised ?? 0, al?.disposalRate ?? null];
      }),
      [4, 6, 7, 9],
    );
    sheet(wb, '未接入企业', ['企业名称', '统一社会信用代码', '区县', '行业类别'], c.notConnected.map((e) => [e.name, e.uscc, e.regionCode, e.riskCategories.map((x) => CATEGORY_ZH[x] ?? x).join('、')]));
    sheet(wb, '报警前十企业', ['企业名称', '区县', '报警数', '红', '橙', '黄', '蓝'], r.topEnterprises.map((e) => [e.name, e.regionCode, e.alarms, e.red, e.orange, e.yellow, e.blue]));
    sheet(
      wb,
      '超期及未闭环报警',
      ['报警 id', '企业', '点位', '级别', '类型', '阶段', '发生时间', '确认时间', '处置时间', '问题'],
      r.problemAlarms.map((x) => [x.id, x.enterprise, x.pointCode, TIER_ZH[x.tier] ?? x.tier, x.kind, x.stage, x.raisedAt, x.ackedAt, x.disposedAt, x.problems.map((p) => (p === 'overdue' ? '超期' : '未闭环')).join('、')]),
    );
    sheet(wb, '处置原因', ['原因', '代码', '报警数'], r.causes.map((x) => [x.label, x.cause, x.count]));
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}

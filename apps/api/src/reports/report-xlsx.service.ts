import { Injectable } from '@nestjs/common';
import { Workbook, type Worksheet } from 'exceljs';
import { HAZARD_SOURCE_ZH, HAZARD_SOURCES, HAZARD_STATUS_ZH, HAZARD_STATUSES } from '@sw/hazards';
import { regionName } from '@sw/sensors';
import { safeCell } from '../files/spreadsheet-cell';
import { byArticleOrder, CATEGORY_ZH, districtText, type HalfYearReport, KIND_ZH, PROBLEM_ZH, shanghaiTime, STAGE_ZH, TIER_ZH } from './report.types';

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
 * fractions of the API (formatted as percentages), so a reader can recompute them. Every label is
 * Chinese, every time Asia/Shanghai (北京时间) wall-clock text, districts named as in GB/T 2260.
 */
@Injectable()
export class ReportXlsxService {
  async render(r: HalfYearReport): Promise<Buffer> {
    const wb = new Workbook();
    wb.creator = '安全风险监测预警平台';
    const c = r.connection;
    const a = r.alarms;
    const l = r.load;
    sheet(
      wb,
      '主要指标',
      ['指标', '数值', '分子', '分母', '说明'],
      [
        ['区域', r.regionCode === null ? '全部辖区' : districtText(r.regionCode), null, null, `${r.from} 至 ${r.to}（北京时间）`],
        ['报告版本', r.version, null, null, `第 ${r.version} 版，生成于 ${shanghaiTime(r.generatedAt)}（北京时间），生成人 ${r.generatedBy}；此后数据变化不改变本版数字`],
        ['接入率', c.connectionRate, c.connected, c.inScope, `截至 ${c.asOf} 末：必选监测点已登记且近 ${c.windowDays} 日内均有数据的应接入企业`],
        ['监测点接入率', c.pointConnectionRate, c.reportingPoints, c.mandatoryPoints, `应接入企业的必选监测点中，近 ${c.windowDays} 日内有数据的`],
        ['涉粉作业人数不详（数据缺口）', c.unknownDustWorkers, null, null, '无法判定是否应接入，未计入分母，见“数据缺口”'],
        ['在线率（期末）', c.onlineRate, c.online, null, '已接入、非停产企业：每个必选监测点在其离线判定时限内有数据'],
        ['在线率（时间加权）', r.online.onlineRate, null, r.online.enterprises, '按数据：企业在线时长 ÷ 计入时长的平均值'],
        ['数据完整率', r.completeness.completeness, r.completeness.received, r.completeness.expected, `${r.completeness.points} 个必选监测点`],
        ['报警处置率', a.disposalRate, a.disposed, a.raised, null],
        ['及时响应率', a.timelyAckRate, a.ackedInTime, a.tiered, '自达到该级别起：红色（一级）5 分钟、橙色（二级）15 分钟、黄色（三级）60 分钟内确认'],
        ['及时处置率', a.timelyDisposalRate, a.disposedInTime, a.tiered, '红色、橙色 24 小时，黄色 72 小时内处置'],
        ['每 10 分钟报警数', l.alarmsPer10Min, l.annunciations, l.windows, 'ISA-18.2'],
        ['报警泛滥窗口占比', l.floodWindowRate, l.floodWindows, l.windows, '10 分钟超过 10 条'],
        ['长期报警', l.stale, null, null, '持续 > 24 小时'],
        ['振荡报警', l.chattering, null, null, '1 分钟内 ≥ 3 次触发'],
        ['检修窗口', r.maintenance.length, null, null, `其中必选监测点 ${r.maintenance.filter((m) => m.mandatory).length} 个，见“检修记录”`],
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
      ['区县', '区划代码', '应接入', '已接入', '接入率', '监测点接入率', '期末在线', '期末在线率', '时间加权在线率', '报警数', '处置率', '人数不详'],
      c.byDistrict.map((d) => {
        const al = a.byDistrict.find((x) => x.regionCode === d.regionCode);
        return [regionName(d.regionCode) ?? d.regionCode, d.regionCode, d.inScope, d.connected, d.connectionRate, d.pointConnectionRate, d.online, d.onlineRate, r.online.byDistrict.find((x) => x.regionCode === d.regionCode)?.onlineRate ?? null, al?.raised ?? 0, al?.disposalRate ?? null, d.unknownDustWorkers];
      }),
      [4, 5, 7, 8, 10],
    );
    sheet(
      wb,
      '分行业',
      ['行业类别', '代码', '应接入', '已接入', '接入率', '监测点接入率', '期末在线', '期末在线率', '时间加权在线率', '报警数', '处置率'],
      c.byCategory.map((d) => {
        const al = a.byCategory.find((x) => x.category === d.category);
        return [CATEGORY_ZH[d.category] ?? d.category, d.category, d.inScope, d.connected, d.connectionRate, d.pointConnectionRate, d.online, d.onlineRate, r.online.byCategory.find((x) => x.category === d.category)?.onlineRate ?? null, al?.raised ?? 0, al?.disposalRate ?? null];
      }),
      [4, 5, 7, 8, 10],
    );
    sheet(
      wb,
      '未接入企业',
      ['企业名称', '统一社会信用代码', '区县', '行业类别', '必选监测点已登记', '必选监测点', '近期有数据'],
      c.notConnected.map((e) => [e.name, e.uscc, districtText(e.regionCode), e.riskCategories.map((x) => CATEGORY_ZH[x] ?? x).join('、'), e.registered ? '是' : '否', e.mandatoryPoints, e.reportingPoints]),
    );
    sheet(wb, '数据缺口', ['企业名称', '统一社会信用代码', '区县', '行业类别', '缺口'], c.dataGaps.map((e) => [e.name, e.uscc, districtText(e.regionCode), e.riskCategories.map((x) => CATEGORY_ZH[x] ?? x).join('、'), '涉粉作业人数不详']));
    sheet(
      wb,
      '检修记录',
      ['企业', '区县', '监测点', '名称', '必选', '方式', '原因', '申请人', '批准人', '开始（北京时间）', '结束（北京时间）', '提前结束'],
      r.maintenance.map((m) => [m.enterprise, districtText(m.regionCode), m.pointCode, m.pointName, m.mandatory ? '是' : '否', m.kind === 'request' ? '企业申请、监管批准' : '直接检修', m.reason, m.requestedBy, m.approvedBy, shanghaiTime(m.start), shanghaiTime(m.end), m.endedEarly ? '是' : '否']),
    );
    sheet(wb, '报警前十企业', ['企业名称', '区县', '报警数', '红色（一级）', '橙色（二级）', '黄色（三级）', '蓝色（四级）'], r.topEnterprises.map((e) => [e.name, districtText(e.regionCode), e.alarms, e.red, e.orange, e.yellow, e.blue]));
    sheet(
      wb,
      '超期及未闭环报警',
      ['报警编号', '企业', '监测点', '级别', '类型', '阶段', '发生时间（北京时间）', '确认时间（北京时间）', '处置时间（北京时间）', '问题'],
      r.problemAlarms.map((x) => [x.id, x.enterprise, x.pointCode ?? '网关', TIER_ZH[x.tier] ?? x.tier, KIND_ZH[x.kind] ?? x.kind, STAGE_ZH[x.stage] ?? x.stage, shanghaiTime(x.raisedAt), shanghaiTime(x.ackedAt), shanghaiTime(x.disposedAt), x.problems.map((p) => PROBLEM_ZH[p] ?? p).join('、')]),
    );
    sheet(wb, '处置原因', ['原因', '代码', '报警数'], r.causes.map((x) => [x.label, x.cause, x.count]));
    const hz = r.hazards;
    if (hz) {
      sheet(
        wb,
        '重大事故隐患',
        ['指标', '数值', '分子', '分母', '说明'],
        [
          ['期内上报', hz.reported, null, null, '统计期内上报的重大事故隐患'],
          ['期内确认', hz.confirmed, null, null, '统计期内经监管确认'],
          ['动态清零率', hz.clearanceRate, hz.confirmedSignedOff, hz.confirmed, '期内确认的隐患中，期末前已销号的'],
          ['确认至销号天数（中位数）', hz.daysToSignOff.median, null, hz.daysToSignOff.count, '期内销号的隐患，天'],
          ['确认至销号天数（P90）', hz.daysToSignOff.p90, null, hz.daysToSignOff.count, '按最近秩计，天'],
          ['期末未销号', hz.open, null, null, '已确认、未销号（截至统计期末）'],
          ['期末逾期', hz.overdue, null, null, '未销号且超过整改期限（截至统计期末）'],
        ],
      ).getCell('B4').numFmt = '0.00%';
      const counts = (dimension: string, m: Record<string, number>, keys: readonly string[], label: (k: string) => string): Cell[][] => keys.map((k) => [dimension, label(k), k, m[k] ?? 0]);
      const present = (m: Record<string, number>) => Object.keys(m).sort();
      sheet(wb, '隐患分类统计', ['维度', '项', '代码', '隐患数'], [
        ...counts('来源', hz.bySource, HAZARD_SOURCES, (k) => HAZARD_SOURCE_ZH[k as keyof typeof HAZARD_SOURCE_ZH]),
        ...counts('期末状态', hz.byStatus, HAZARD_STATUSES, (k) => HAZARD_STATUS_ZH[k as keyof typeof HAZARD_STATUS_ZH]),
        ...counts('判定依据', hz.byArticle, byArticleOrder(Object.keys(hz.byArticle)), (k) => k),
        ...counts('行业类别', hz.byCategory, present(hz.byCategory), (k) => CATEGORY_ZH[k] ?? k),
        ...counts('区县', hz.byRegion, present(hz.byRegion), (k) => districtText(k)),
      ]);
    } else {
      sheet(wb, '重大事故隐患', ['说明'], [['本版报告生成时尚未纳入重大事故隐患统计；重新生成的新版本包含该部分。']]);
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  }
}

import { Injectable } from '@nestjs/common';
import { barChart, type Doc, footer, hbarChart, heading, lineChart, newDocument, paragraph, table, toBuffer } from './pdf-canvas';
import { HAZARD_SOURCE_ZH, HAZARD_SOURCES, HAZARD_STATUS_ZH, HAZARD_STATUSES } from '@sw/hazards';
import { byArticleOrder, CATEGORY_ZH, days, districtText, type HalfYearReport, pct, PROBLEM_ZH, shanghaiTime, STAGE_ZH, TIER_ZH } from './report.types';

const shanghai = shanghaiTime;

/** The half-year report as PDF: Chinese text in an embedded CJK font, tables and vector charts. */
@Injectable()
export class ReportPdfService {
  async render(r: HalfYearReport): Promise<Buffer> {
    const title = '工贸企业安全风险监测预警工作半年报告';
    const doc = newDocument(title);
    cover(doc, r, title);
    kpiSummary(doc, r);
    trend(doc, r);
    groups(doc, r);
    notConnected(doc, r);
    maintenance(doc, r);
    alarms(doc, r);
    hazards(doc, r);
    footer(doc, `${title} · ${r.from} 至 ${r.to}`);
    return toBuffer(doc);
  }
}

function cover(doc: Doc, r: HalfYearReport, title: string): void {
  doc.fontSize(18).fillColor('#0f2a5c').text(title, { align: 'center' });
  doc.moveDown(0.3);
  paragraph(doc, `区域：${r.regionCode === null ? '全部辖区' : districtText(r.regionCode)}    统计期：${r.from} 至 ${r.to}（北京时间）`, 9);
  paragraph(doc, `第 ${r.version} 版，生成于 ${shanghai(r.generatedAt)}（北京时间），生成人 ${r.generatedBy}。本版数字在生成时封存，此后数据变化不改变本版；重新生成即为新版本。`, 8);
  paragraph(
    doc,
    '口径：接入范围按区级治本攻坚三年行动方案（2024年底前：涉金属粉尘、木粉尘 ≥30 人；2025年底前：钢铁、铝加工（深井铸造）、涉金属粉尘 ≥10 人；截至某日末计），涉粉作业人数不详的企业列为数据缺口、不按 0 人计；' +
      `已接入指必选监测点已登记且近 ${r.connection.windowDays} 日内每个必选监测点均有数据；在线按数据判定；停产企业不计在线率，关闭企业自关闭日起退出范围。`,
    8,
  );
}

function kpiSummary(doc: Doc, r: HalfYearReport): void {
  heading(doc, '一、主要指标');
  const c = r.connection;
  const a = r.alarms;
  const l = r.load;
  table(
    doc,
    ['指标', '数值', '分子 / 分母（口径）'],
    [
      ['接入率', pct(c.connectionRate), `${c.connected} / ${c.inScope}（截至 ${c.asOf} 末，应接入企业）`],
      ['监测点接入率', pct(c.pointConnectionRate), `${c.reportingPoints} / ${c.mandatoryPoints} 个必选监测点近 ${c.windowDays} 日内有数据`],
      ['涉粉作业人数不详', `${c.unknownDustWorkers} 家`, '数据缺口：无法判定是否应接入，未计入分母'],
      ['在线率（期末）', pct(c.onlineRate), `${c.online} 家在线（已接入、非停产企业）`],
      ['在线率（时间加权）', pct(r.online.onlineRate), `${r.online.enterprises} 家企业在线时长 ÷ 计入时长的平均值`],
      ['数据完整率', pct(r.completeness.completeness), `${r.completeness.received} / ${r.completeness.expected} 条（${r.completeness.points} 个必选监测点）`],
      ['报警处置率', pct(a.disposalRate), `${a.disposed} / ${a.raised} 条报警已处置或闭环`],
      ['及时响应率', pct(a.timelyAckRate), `${a.ackedInTime} / ${a.tiered}（自达到该级起：红 5、橙 15、黄 60 分钟内确认）`],
      ['及时处置率', pct(a.timelyDisposalRate), `${a.disposedInTime} / ${a.tiered}（红色、橙色 24 小时，黄色 72 小时内处置）`],
      ['每 10 分钟报警数', l.alarmsPer10Min === null ? '—' : l.alarmsPer10Min.toFixed(4), `${l.annunciations} 次报警 ÷ ${l.windows} 个 10 分钟窗口（ISA-18.2）`],
      ['报警泛滥窗口占比', pct(l.floodWindowRate), `${l.floodWindows} / ${l.windows} 个窗口超过 10 条`],
      ['长期报警 / 振荡报警', `${l.stale} / ${l.chattering}`, '持续 > 24 小时 / 1 分钟内 ≥ 3 次触发'],
    ],
    [0.22, 0.14, 0.64],
    9,
  );
}

function trend(doc: Doc, r: HalfYearReport): void {
  heading(doc, '二、指标趋势（按月）');
  const labels = r.trend.map((t) => t.month);
  lineChart(doc, '接入率、在线率、数据完整率', labels, [
    { name: '接入率（月末）', values: r.trend.map((t) => t.connectionRate) },
    { name: '在线率', values: r.trend.map((t) => t.onlineRate) },
    { name: '数据完整率', values: r.trend.map((t) => t.completeness) },
  ]);
  barChart(
    doc,
    '报警处置率、及时响应率、及时处置率',
    labels,
    [
      { name: '处置率', values: r.trend.map((t) => t.disposalRate) },
      { name: '及时响应率', values: r.trend.map((t) => t.timelyAckRate) },
      { name: '及时处置率', values: r.trend.map((t) => t.timelyDisposalRate) },
    ],
    { max: 1, format: (v) => `${Math.round(v * 100)}%` },
  );
  table(
    doc,
    ['月份', '接入率', '在线率', '完整率', '处置率', '及时响应率', '及时处置率', '报警数'],
    r.trend.map((t) => [t.month, pct(t.connectionRate), pct(t.onlineRate), pct(t.completeness), pct(t.disposalRate), pct(t.timelyAckRate), pct(t.timelyDisposalRate), String(t.alarms)]),
    [0.12, 0.12, 0.12, 0.12, 0.12, 0.14, 0.14, 0.12],
  );
}

function groups(doc: Doc, r: HalfYearReport): void {
  heading(doc, '三、分区县、分行业');
  const onlineOf = (list: { regionCode?: string; category?: string; onlineRate: number | null }[], key: string) => list.find((x) => (x.regionCode ?? x.category) === key)?.onlineRate ?? null;
  const alarmOf = (list: { regionCode?: string; category?: string; disposalRate: number | null; raised: number }[], key: string) => list.find((x) => (x.regionCode ?? x.category) === key);
  // every district with an enterprise in scope or an alarm in the period
  const districts = [...new Set([...r.connection.byDistrict.map((d) => d.regionCode), ...r.alarms.byDistrict.map((d) => d.regionCode)])].sort();
  table(
    doc,
    ['区县', '应接入', '已接入', '接入率', '在线率（时间加权）', '报警数', '处置率'],
    districts.map((code) => {
      const d = r.connection.byDistrict.find((x) => x.regionCode === code);
      return [districtText(code), String(d?.inScope ?? 0), String(d?.connected ?? 0), pct(d?.connectionRate ?? null), pct(onlineOf(r.online.byDistrict, code)), String(alarmOf(r.alarms.byDistrict, code)?.raised ?? 0), pct(alarmOf(r.alarms.byDistrict, code)?.disposalRate ?? null)];
    }),
    [0.16, 0.12, 0.12, 0.12, 0.18, 0.14, 0.16],
  );
  table(
    doc,
    ['行业类别', '应接入', '已接入', '接入率', '在线率（时间加权）', '报警数', '处置率'],
    r.connection.byCategory.map((d) => [CATEGORY_ZH[d.category] ?? d.category, String(d.inScope), String(d.connected), pct(d.connectionRate), pct(onlineOf(r.online.byCategory, d.category)), String(alarmOf(r.alarms.byCategory, d.category)?.raised ?? 0), pct(alarmOf(r.alarms.byCategory, d.category)?.disposalRate ?? null)]),
    [0.16, 0.12, 0.12, 0.12, 0.18, 0.14, 0.16],
  );
}

function notConnected(doc: Doc, r: HalfYearReport): void {
  heading(doc, `四、应接入未接入企业（${r.connection.notConnected.length} 家）`);
  table(
    doc,
    ['企业名称', '统一社会信用代码', '区县', '行业类别'],
    r.connection.notConnected.map((e) => [e.name, e.uscc, districtText(e.regionCode), e.riskCategories.map((c) => CATEGORY_ZH[c] ?? c).join('、')]),
    [0.34, 0.24, 0.18, 0.24],
  );
  if (r.connection.dataGaps.length > 0) {
    paragraph(doc, `数据缺口：以下 ${r.connection.dataGaps.length} 家企业涉粉作业人数不详，无法判定是否应接入（未按 0 人计）。`, 8);
    table(
      doc,
      ['企业名称', '统一社会信用代码', '区县', '行业类别'],
      r.connection.dataGaps.map((e) => [e.name, e.uscc, districtText(e.regionCode), e.riskCategories.map((c) => CATEGORY_ZH[c] ?? c).join('、')]),
      [0.34, 0.24, 0.18, 0.24],
    );
  }
}

function maintenance(doc: Doc, r: HalfYearReport): void {
  const mandatory = r.maintenance.filter((m) => m.mandatory).length;
  heading(doc, `五、检修记录（${r.maintenance.length} 个窗口，其中必选监测点 ${mandatory} 个）`);
  table(
    doc,
    ['企业', '监测点', '必选', '方式', '批准人', '开始', '结束', '原因'],
    r.maintenance.map((m) => [m.enterprise, `${m.pointCode} ${m.pointName}`, m.mandatory ? '是' : '否', m.kind === 'request' ? '申请批准' : '直接检修', m.approvedBy ?? m.requestedBy, shanghai(m.start), `${shanghai(m.end)}${m.endedEarly ? '（提前）' : ''}`, m.reason]),
    [0.18, 0.14, 0.06, 0.1, 0.1, 0.14, 0.14, 0.14],
    7,
  );
}

function alarms(doc: Doc, r: HalfYearReport): void {
  heading(doc, '六、报警较多的企业');
  hbarChart(doc, '报警数前 10 家企业', r.topEnterprises.map((e) => e.name), r.topEnterprises.map((e) => e.alarms), '#c0392b');
  table(
    doc,
    ['企业名称', '区县', '报警数', '红色', '橙色', '黄色', '蓝色'],
    r.topEnterprises.map((e) => [e.name, districtText(e.regionCode), String(e.alarms), String(e.red), String(e.orange), String(e.yellow), String(e.blue)]),
    [0.4, 0.12, 0.12, 0.09, 0.09, 0.09, 0.09],
  );
  heading(doc, `七、超期及未闭环报警（${r.problemAlarms.length} 条）`);
  table(
    doc,
    ['企业', '监测点', '级别', '发生时间', '确认时间', '处置时间', '状态', '问题'],
    r.problemAlarms.map((a) => [a.enterprise, a.pointCode ?? '网关', TIER_ZH[a.tier] ?? a.tier, shanghai(a.raisedAt), shanghai(a.ackedAt), shanghai(a.disposedAt), STAGE_ZH[a.stage] ?? a.stage, a.problems.map((p) => PROBLEM_ZH[p] ?? p).join('、')]),
    [0.17, 0.08, 0.11, 0.14, 0.14, 0.14, 0.09, 0.13],
    7,
  );
  heading(doc, '八、处置原因');
  hbarChart(doc, '已处置报警的原因分布', r.causes.map((c) => c.label), r.causes.map((c) => c.count), '#2e9d5b');
}

function hazards(doc: Doc, r: HalfYearReport): void {
  heading(doc, '九、重大事故隐患');
  const hz = r.hazards;
  if (!hz) {
    paragraph(doc, '本版报告生成时尚未纳入重大事故隐患统计；重新生成的新版本包含该部分。', 9);
    return;
  }
  table(
    doc,
    ['指标', '数值', '说明'],
    [
      ['期内上报', `${hz.reported} 项`, '统计期内上报（含自查、检查、监管录入、举报、报警转入）'],
      ['期内确认', `${hz.confirmed} 项`, '统计期内经监管确认为重大事故隐患'],
      ['动态清零率', pct(hz.clearanceRate), `${hz.confirmedSignedOff} / ${hz.confirmed}（期内确认的隐患中，期末前已销号的）`],
      ['确认至销号天数（中位数）', days(hz.daysToSignOff.median), `期内销号 ${hz.daysToSignOff.count} 项`],
      ['确认至销号天数（P90）', days(hz.daysToSignOff.p90), '按最近秩计'],
      ['期末未销号', `${hz.open} 项`, '已确认、未销号（截至统计期末）'],
      ['期末逾期', `${hz.overdue} 项`, '未销号且超过整改期限（截至统计期末）'],
    ],
    [0.26, 0.16, 0.58],
    9,
  );
  const count = (m: Record<string, number>, k: string) => String(m[k] ?? 0);
  table(doc, ['来源', ...HAZARD_SOURCES.map((x) => HAZARD_SOURCE_ZH[x])], [['隐患数', ...HAZARD_SOURCES.map((x) => count(hz.bySource, x))]], [0.15, 0.17, 0.17, 0.17, 0.17, 0.17], 8);
  table(doc, ['期内上报隐患的期末状态', ...HAZARD_STATUSES.map((x) => HAZARD_STATUS_ZH[x])], [['隐患数', ...HAZARD_STATUSES.map((x) => count(hz.byStatus, x))]], [0.22, 0.13, 0.13, 0.13, 0.13, 0.13, 0.13], 8);
  const rows = (m: Record<string, number>, label: (k: string) => string, order = (keys: string[]) => keys.sort()) => order(Object.keys(m)).map((k) => [label(k), String(m[k] ?? 0)]);
  table(doc, ['判定依据（条）', '隐患数'], rows(hz.byArticle, (k) => k, byArticleOrder), [0.6, 0.4], 8);
  table(doc, ['行业类别', '隐患数'], rows(hz.byCategory, (k) => CATEGORY_ZH[k] ?? k), [0.6, 0.4], 8);
  table(doc, ['区县', '隐患数'], rows(hz.byRegion, districtText), [0.6, 0.4], 8);
}

// KPI page: GET /kpi/connection (接入率 with the point-level rate, 在线率, by district and
// category, the enterprises not connected, data gaps) and the half-year report: its stored
// versions, PDF/XLSX downloads, and an explicit regeneration as a new version.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConnectionKpi, ReportVersion } from '../api/api.types';
import { type ChartOption, Chart } from '../shared/chart';
import { formatDateTime, formatRate, shanghaiToday } from '../shared/format';
import { CATEGORY_LABEL, districtName, districtText } from '../shared/labels';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';

export function KpiPage() {
  const { http } = useConsole();
  const [asOf, setAsOf] = useState(shanghaiToday());
  const [kpi, setKpi] = useState<ConnectionKpi | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    http.get<ConnectionKpi>('/kpi/connection', { asOf }).then(setKpi, (err: Error) => setError(err.message));
  }, [http, asOf]);

  const option = useMemo(() => (kpi ? districtChart(kpi) : null), [kpi]);
  return (
    <section class="kpi">
      <h2>指标</h2>
      <label class="filter">
        <span>截至日期</span>
        <input type="date" value={asOf} max={shanghaiToday()} onChange={(e) => e.currentTarget.value && setAsOf(e.currentTarget.value)} />
      </label>
      {error && <p class="error" role="alert">{error}</p>}
      {kpi && (
        <>
          <div class="kpi-cards">
            <KpiCard title="接入率" value={formatRate(kpi.connectionRate)} detail={`${kpi.connected} / ${kpi.inScope} 家`} />
            <KpiCard title="监测点接入率" value={formatRate(kpi.pointConnectionRate)} detail={`${kpi.reportingPoints} / ${kpi.mandatoryPoints} 个必选监测点`} />
            <KpiCard title="在线率" value={formatRate(kpi.onlineRate)} detail={`${kpi.online} 家在线`} />
            <KpiCard title="数据缺口" value={`${kpi.unknownDustWorkers} 家`} detail="涉粉作业人数不详" />
          </div>
          <p class="muted">
            已接入：必选监测点已登记，且每个必选监测点近 {kpi.windowDays} 日内有数据；在线：每个必选监测点在离线判定时限内有数据。涉粉作业人数不详的企业无法判定是否应接入，单独列为数据缺口，不按 0 人计。
          </p>
          {option && kpi.byDistrict.length > 0 && <Chart option={option} height={260} label="各区县接入率与在线率" />}
          <h3>按行业</h3>
          <table class="list">
            <thead>
              <tr><th>行业</th><th>应接入</th><th>已接入</th><th>接入率</th><th>监测点接入率</th><th>在线率</th></tr>
            </thead>
            <tbody>
              {kpi.byCategory.map((c) => (
                <tr key={c.category}><td>{CATEGORY_LABEL[c.category]}</td><td>{c.inScope}</td><td>{c.connected}</td><td>{formatRate(c.connectionRate)}</td><td>{formatRate(c.pointConnectionRate)}</td><td>{formatRate(c.onlineRate)}</td></tr>
              ))}
            </tbody>
          </table>
          <h3>未接入企业（{kpi.notConnected.length}）</h3>
          <ul class="plain">
            {kpi.notConnected.map((e) => (
              <li key={e.id}>
                <Link href={`/enterprises/${e.id}`}>{e.name}</Link>{' '}
                <span class="muted">
                  {districtText(e.regionCode)} · {e.uscc} · {e.registered ? `必选监测点 ${e.reportingPoints}/${e.mandatoryPoints} 近期有数据` : '必选监测点未登记'}
                </span>
              </li>
            ))}
          </ul>
          {kpi.dataGaps.length > 0 && (
            <>
              <h3>数据缺口（{kpi.dataGaps.length}）</h3>
              <ul class="plain data-gaps">
                {kpi.dataGaps.map((e) => (
                  <li key={e.id}><Link href={`/enterprises/${e.id}`}>{e.name}</Link> <span class="muted">{districtText(e.regionCode)} · 涉粉作业人数不详</span></li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      <HalfYearReport />
    </section>
  );
}

/** The half-year periods a bureau reports on: this one and the two before it. */
export function halfYears(today: string): { from: string; to: string; label: string }[] {
  const year = Number(today.slice(0, 4));
  const first = today.slice(5) < '07-01';
  const out: { from: string; to: string; label: string }[] = [];
  for (let i = 0, y = year, h = first ? 1 : 2; i < 3; i++) {
    out.push(h === 1 ? { from: `${y}-01-01`, to: `${y}-06-30`, label: `${y} 年上半年` } : { from: `${y}-07-01`, to: `${y}-12-31`, label: `${y} 年下半年` });
    if (h === 1) {
      y -= 1;
      h = 2;
    } else h = 1;
  }
  return out;
}

function HalfYearReport() {
  const { http } = useConsole();
  const periods = useMemo(() => halfYears(shanghaiToday()), []);
  const [index, setIndex] = useState(0);
  const period = periods[index] ?? periods[0];
  const [versions, setVersions] = useState<ReportVersion[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = period ? { from: period.from, to: period.to } : {};

  const reload = () => http.get<ReportVersion[]>('/reports/half-year/versions', query).then(setVersions, (err: Error) => setError(err.message));
  useEffect(() => {
    setVersions(null);
    setMessage(null);
    void reload();
  }, [http, index]);

  const download = async (format: 'pdf' | 'xlsx') => {
    setBusy(true);
    setError(null);
    try {
      const file = await http.download('/reports/half-year', { ...query, format });
      const url = URL.createObjectURL(file.blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file.filename;
      a.click();
      URL.revokeObjectURL(url);
      setMessage(`已下载第 ${file.headers.get('x-report-version') ?? '?'} 版`);
      await reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const regenerate = async () => {
    if (!window.confirm('按当前数据重新生成一个新版本？已有版本保持不变。')) return;
    setBusy(true);
    setError(null);
    try {
      const v = await http.post<ReportVersion>(`/reports/half-year/versions?from=${query.from ?? ''}&to=${query.to ?? ''}`);
      setMessage(`已生成第 ${v.version} 版`);
      await reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const latest = versions && versions.length > 0 ? versions[versions.length - 1] : null;
  return (
    <div class="half-year-report card">
      <h3>半年报告</h3>
      <label class="filter">
        <span>统计期</span>
        <select value={String(index)} onChange={(e) => setIndex(Number(e.currentTarget.value))}>
          {periods.map((p, i) => (
            <option key={p.from} value={String(i)}>{p.label}（{p.from} 至 {p.to}）</option>
          ))}
        </select>
      </label>
      <p class="muted report-version">
        {versions === null
          ? '加载中…'
          : latest
            ? `当前为第 ${latest.version} 版，生成于 ${formatDateTime(latest.generatedAt)}（${latest.generatedBy}）。报告数字在生成时封存，之后的数据变化不改变已生成的版本。`
            : '尚未生成：首次下载时按当时数据生成第 1 版并封存。'}
      </p>
      <div class="actions">
        <button type="button" disabled={busy} onClick={() => void download('pdf')}>下载 PDF</button>
        <button type="button" disabled={busy} onClick={() => void download('xlsx')}>下载 Excel（XLSX）</button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void regenerate()}>重新生成（新版本）</button>
      </div>
      {message && <p class="notice">{message}</p>}
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

function KpiCard({ title, value, detail }: { title: string; value: string; detail: string }) {
  return (
    <div class="card kpi-card">
      <span class="muted">{title}</span>
      <b>{value}</b>
      <span class="muted">{detail}</span>
    </div>
  );
}

function districtChart(kpi: ConnectionKpi): ChartOption {
  const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
  return {
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    legend: { top: 4 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
    xAxis: { type: 'category', data: kpi.byDistrict.map((d) => districtName(d.regionCode)) },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: '接入率', type: 'bar', data: kpi.byDistrict.map((d) => pct(d.connectionRate)), itemStyle: { color: '#1f6feb' } },
      { name: '在线率', type: 'bar', data: kpi.byDistrict.map((d) => pct(d.onlineRate)), itemStyle: { color: '#2da44e' } },
    ],
  };
}

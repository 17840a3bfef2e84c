// KPI page: what GET /kpi/connection answers today (接入率, 在线率 by district and category, the
// enterprises not yet connected). Disposal KPIs and the half-year report downloads come with the
// KPI issue; until then the page says so rather than showing made-up numbers.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConnectionKpi } from '../api/api.types';
import { type ChartOption, Chart } from '../shared/chart';
import { formatRate, shanghaiToday } from '../shared/format';
import { CATEGORY_LABEL } from '../shared/labels';
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
            <KpiCard title="在线率" value={formatRate(kpi.onlineRate)} detail={`${kpi.online} 家在线`} />
          </div>
          {option && kpi.byDistrict.length > 0 && <Chart option={option} height={260} label="各区县接入率与在线率" />}
          <h3>按行业</h3>
          <table class="list">
            <thead>
              <tr><th>行业</th><th>应接入</th><th>已接入</th><th>接入率</th><th>在线率</th></tr>
            </thead>
            <tbody>
              {kpi.byCategory.map((c) => (
                <tr key={c.category}><td>{CATEGORY_LABEL[c.category]}</td><td>{c.inScope}</td><td>{c.connected}</td><td>{formatRate(c.connectionRate)}</td><td>{formatRate(c.onlineRate)}</td></tr>
              ))}
            </tbody>
          </table>
          <h3>未接入企业（{kpi.notConnected.length}）</h3>
          <ul class="plain">
            {kpi.notConnected.map((e) => (
              <li key={e.id}><Link href={`/enterprises/${e.id}`}>{e.name}</Link> <span class="muted">{e.regionCode} · {e.uscc}</span></li>
            ))}
          </ul>
        </>
      )}
      <p class="notice">处置率、及时响应率等报警指标和半年报告下载尚未上线；上线后将在此提供图表和报表下载。</p>
    </section>
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
    xAxis: { type: 'category', data: kpi.byDistrict.map((d) => d.regionCode) },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: '接入率', type: 'bar', data: kpi.byDistrict.map((d) => pct(d.connectionRate)), itemStyle: { color: '#1f6feb' } },
      { name: '在线率', type: 'bar', data: kpi.byDistrict.map((d) => pct(d.onlineRate)), itemStyle: { color: '#2da44e' } },
    ],
  };
}

// 隐患统计分析 (issue 12): GET /hazards/analysis for a period — counts by source, category,
// article, region and status; open and overdue; days from confirmation to sign-off (median, p90);
// 动态清零率 (docs/domain.md "The closed loop").
import { useEffect, useState } from 'preact/hooks';
import type { HazardAnalysis } from '../api/api.types';
import { formatRate, shanghaiToday } from '../shared/format';
import { CATEGORY_LABEL, districtText, HAZARD_SOURCE_LABEL, HAZARD_STATUS_LABEL } from '../shared/labels';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { refusalText } from './hazard-refusal';

/** The first day of the current Shanghai year, and tomorrow (the period is [from, to)). */
export function defaultPeriod(today = shanghaiToday()): { from: string; to: string } {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return { from: `${today.slice(0, 4)}-01-01`, to: d.toISOString().slice(0, 10) };
}

export function HazardAnalysisPage() {
  const { http } = useConsole();
  const [period, setPeriod] = useState(defaultPeriod);
  const [data, setData] = useState<HazardAnalysis | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    setData(null);
    http.get<HazardAnalysis>('/hazards/analysis', period).then(
      (a) => {
        if (gone) return;
        setData(a);
        setError(null);
      },
      (err: unknown) => !gone && setError(refusalText(err)),
    );
    return () => {
      gone = true;
    };
  }, [http, period]);

  const days = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)} 天`);
  return (
    <section class="hazard-analysis">
      <p class="crumbs">
        <Link href="/hazards">← 返回隐患列表</Link>
      </p>
      <h2>
        重大事故隐患统计分析{' '}
        <label class="muted">
          自 <input type="date" name="from" value={period.from} onInput={(e) => e.currentTarget.value && setPeriod({ ...period, from: e.currentTarget.value })} />
        </label>{' '}
        <label class="muted">
          至（不含） <input type="date" name="to" value={period.to} onInput={(e) => e.currentTarget.value && setPeriod({ ...period, to: e.currentTarget.value })} />
        </label>
      </h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!data && !error && <p class="muted">加载中…</p>}
      {data && (
        <>
          <div class="kpi-cards">
            <Card title="期间登记" value={String(data.reported)} />
            <Card title="未销号（截至期末）" value={String(data.open)} />
            <Card title="逾期未销号" value={String(data.overdue)} warn={data.overdue > 0} />
            <Card title="动态清零率" value={formatRate(data.clearanceRate)} note={`期间确认 ${data.confirmed}，已销号 ${data.confirmedSignedOff}`} data-kpi="clearance" />
            <Card title="确认至销号（中位数）" value={days(data.daysToSignOff.median)} note={`P90 ${days(data.daysToSignOff.p90)} · ${data.daysToSignOff.count} 项`} />
          </div>
          <div class="analysis-grid">
            <Counts title="按来源" counts={data.bySource} label={(k) => HAZARD_SOURCE_LABEL[k as keyof typeof HAZARD_SOURCE_LABEL] ?? k} />
            <Counts title="按行业类别" counts={data.byCategory} label={(k) => CATEGORY_LABEL[k as keyof typeof CATEGORY_LABEL] ?? k} />
            <Counts title="按判定依据" counts={data.byArticle} label={(k) => k} />
            <Counts title="按区县" counts={data.byRegion} label={(k) => districtText(k)} />
            <Counts title="按状态（截至期末）" counts={data.byStatus} label={(k) => HAZARD_STATUS_LABEL[k as keyof typeof HAZARD_STATUS_LABEL] ?? k} />
          </div>
          <p class="muted small">统计口径：期间内登记的隐患按来源、行业、条款、区县和期末状态计数；动态清零率 = 期间内确认的隐患中截至期末已销号的比例；确认至销号天数取期间内销号的隐患。</p>
        </>
      )}
    </section>
  );
}

function Card({ title, value, note, warn }: { title: string; value: string; note?: string; warn?: boolean; 'data-kpi'?: string }) {
  return (
    <div class={`card kpi-card${warn ? ' warn' : ''}`}>
      <span class="muted small">{title}</span>
      <strong class="kpi-value">{value}</strong>
      {note && <span class="muted small">{note}</span>}
    </div>
  );
}

function Counts({ title, counts, label }: { title: string; counts: Record<string, number>; label(k: string): string }) {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <div class="card">
      <h3>{title}</h3>
      <table class="list compact">
        <tbody>
          {rows.map(([k, n]) => (
            <tr key={k}>
              <td>{label(k)}</td>
              <td class="num">{n}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p class="muted small">无</p>}
    </div>
  );
}

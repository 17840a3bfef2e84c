// The enterprise's risk level (风险等级 · 风险预警, issue 13): the latest grade with its parts, the
// standardization veto (一票否决) and the level history chart. Its own card, apart from alarms.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type GradeHistory, historySeries, LEVEL_COLOUR, LEVEL_LABEL, LEVEL_SHORT, partText, type RiskLevel } from '../grade/risk-grade';
import { Chart, type ChartOption } from '../shared/chart';
import { useConsole } from '../shell/console.service';

const RANK_LEVEL: Record<number, RiskLevel> = { 1: 'blue', 2: 'yellow', 3: 'orange', 4: 'red' };

export function RiskGradeCard({ enterpriseId }: { enterpriseId: string }) {
  const { http } = useConsole();
  const [history, setHistory] = useState<GradeHistory | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    http.get<GradeHistory>(`/enterprises/${enterpriseId}/grades`).then(setHistory, (err: Error) => setError(err.message));
  }, [http, enterpriseId]);

  const option = useMemo((): ChartOption | null => {
    if (!history || history.items.length === 0) return null;
    const series = historySeries(history.items);
    return {
      grid: { left: 72, right: 16, top: 16, bottom: 28 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => LEVEL_SHORT[RANK_LEVEL[Number(v)] ?? 'blue'] },
      xAxis: { type: 'category', data: series.map((s) => s.day.slice(5)) },
      yAxis: { type: 'value', min: 1, max: 4, interval: 1, axisLabel: { formatter: (v: number) => LEVEL_SHORT[RANK_LEVEL[v] ?? 'blue'] } },
      series: [
        {
          type: 'line',
          name: '风险等级',
          step: 'end',
          symbolSize: 8,
          lineStyle: { color: '#8a94a6' },
          data: series.map((s) => ({ value: s.rank, itemStyle: { color: LEVEL_COLOUR[s.level] } })),
        },
      ],
    };
  }, [history]);

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!history) return null;
  const current = history.items[history.items.length - 1];
  return (
    <section class="card risk-grade" aria-label="风险等级">
      <h3>
        风险等级（风险预警）
        {current ? (
          <>
            <span class={`level-badge level-${current.level}`}>{LEVEL_LABEL[current.level]}</span>
            <span class="muted">
              {current.score} 分 · {current.day}
            </span>
            {current.standardizationVeto && (
              <span class="veto-badge" title="存在未销号的重大事故隐患，标准化等级不予认可">
                标准化一票否决
              </span>
            )}
          </>
        ) : (
          <span class="muted">尚未分级</span>
        )}
      </h3>
      {current && (
        <table class="grade-parts">
          <tbody>
            {current.parts.map((p) => (
              <tr key={p.key}>
                <th>{p.label}</th>
                <td>{p.detail}</td>
                <td class="num">{partText(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {option && <Chart option={option} height={180} label="风险等级历史" />}
    </section>
  );
}

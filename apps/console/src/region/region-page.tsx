// Region overview (issue 7): districts × risk categories with connection and online rates and
// active alarms. The KPI answers per district give the category split inside each district.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ConnectionKpi, RiskCategory, Tier } from '../api/api.types';
import { formatRate } from '../shared/format';
import { CATEGORY_LABEL, districtText, TIER_ORDER } from '../shared/labels';
import { useWatch } from '../shared/observable';
import { useConsole } from '../shell/console.service';
import { type Cell, buildMatrix } from './region-matrix';
import { RiskLevelPanel } from './risk-level-panel';

export function RegionPage() {
  const { http, board, directory } = useConsole();
  const alarms = useWatch(board, () => board.list());
  const enterprises = useWatch(directory, () => directory.value);
  const [overall, setOverall] = useState<ConnectionKpi | null>(null);
  const [perDistrict, setPerDistrict] = useState<ReadonlyMap<string, ConnectionKpi>>(new Map());
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = async () => {
      const all = await http.get<ConnectionKpi>('/kpi/connection');
      setOverall(all);
      const parts = await Promise.all(all.byDistrict.map(async (d) => [d.regionCode, await http.get<ConnectionKpi>('/kpi/connection', { regionCode: d.regionCode })] as const));
      setPerDistrict(new Map(parts));
    };
    load().catch((err: Error) => setError(err.message));
  }, [http]);

  const matrix = useMemo(() => overall && buildMatrix(overall, perDistrict, alarms, (id) => enterprises.get(id)), [overall, perDistrict, alarms, enterprises]);
  if (error) return <p class="error" role="alert">{error}</p>;
  if (!overall || !matrix) return <p class="muted">加载中…</p>;
  return (
    <section class="region">
      <h2>
        区域概览 <span class="muted">{districtText(overall.regionCode)} · 截至 {overall.asOf}</span>
      </h2>
      <p class="totals">
        应接入 {overall.inScope} 家 · 已接入 {overall.connected} 家（接入率 {formatRate(overall.connectionRate)}）· 在线 {overall.online} 家（在线率 {formatRate(overall.onlineRate)}）
      </p>
      <div class="table-scroll">
        <table class="matrix">
          <thead>
            <tr>
              <th>区县</th>
              <th>合计</th>
              {matrix.categories.map((c) => (
                <th key={c}>{CATEGORY_LABEL[c]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.districts.map((d) => (
              <tr key={d}>
                <th>{districtText(d)}</th>
                <MatrixCell cell={matrix.cell(d, 'all')} />
                {matrix.categories.map((c: RiskCategory) => (
                  <MatrixCell key={c} cell={matrix.cell(d, c)} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <RiskLevelPanel regionCode={overall.regionCode} />
      <p class="muted">接入率、在线率只计入纳入接入范围的企业（行动方案：2024年底前涉金属粉尘、木粉尘 ≥30 人，2025年底前钢铁、铝加工（深井铸造）、涉金属粉尘 ≥10 人）；报警数为当前报警中的报警，按级别着色。</p>
    </section>
  );
}

function MatrixCell({ cell }: { cell: Cell }) {
  const r = cell.rates;
  return (
    <td class="cell">
      {r && r.inScope > 0 ? (
        <span class="rates">
          接入 {r.connected}/{r.inScope} <b>{formatRate(r.connectionRate)}</b>
          <br />在线 <b>{formatRate(r.onlineRate)}</b>
        </span>
      ) : (
        <span class="muted">不在接入范围</span>
      )}
      <span class="cell-alarms">
        {TIER_ORDER.filter((t: Tier) => cell.alarms[t]).map((t) => (
          <span key={t} class={`mini tier-${t}`}>{cell.alarms[t]}</span>
        ))}
      </span>
    </td>
  );
}

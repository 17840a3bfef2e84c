// The region page by risk level (风险等级 · 风险预警, issue 13): each enterprise's latest grade as a
// tile in its level's colour, grouped by district; hovering (or focusing) a tile shows the parts of
// its score. Enterprise-level 预警, kept apart from the alarm counts (报警) of the matrix above.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { type CurrentGrade, type CurrentGrades, LEVEL_LABEL, LEVEL_ORDER, LEVEL_SHORT, partText } from '../grade/risk-grade';
import { districtText } from '../shared/labels';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';

export function RiskLevelPanel({ regionCode }: { regionCode: string | null }) {
  const { http } = useConsole();
  const [grades, setGrades] = useState<CurrentGrades | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    http.get<CurrentGrades>('/grades', regionCode ? { regionCode } : undefined).then(setGrades, (err: Error) => setError(err.message));
  }, [http, regionCode]);

  const byDistrict = useMemo(() => {
    const m = new Map<string, CurrentGrade[]>();
    for (const g of grades?.items ?? []) m.set(g.regionCode, [...(m.get(g.regionCode) ?? []), g]);
    return [...m.entries()];
  }, [grades]);

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!grades) return null;
  return (
    <section class="risk-levels" aria-label="企业风险等级">
      <h3>
        企业风险等级（风险预警）
        <span class="level-counts">
          {LEVEL_ORDER.map((l) => (
            <span key={l} class={`level-count level-${l}`} title={LEVEL_LABEL[l]}>
              {LEVEL_SHORT[l]} {grades.counts[l]}
            </span>
          ))}
        </span>
      </h3>
      {byDistrict.length === 0 && <p class="muted">尚未分级（每日分级后显示）</p>}
      {byDistrict.map(([district, items]) => (
        <div key={district} class="level-district">
          <h4>{districtText(district)}</h4>
          <div class="level-tiles">
            {items.map((g) => (
              <LevelTile key={g.enterpriseId} grade={g} />
            ))}
          </div>
        </div>
      ))}
      <p class="muted">风险等级由每日分级计算（固有风险、重大事故隐患、近30天红橙报警及确认、在线率、安全生产标准化），与监测点报警分开显示；悬停查看依据。</p>
    </section>
  );
}

function LevelTile({ grade: g }: { grade: CurrentGrade }) {
  return (
    <Link class={`level-tile level-${g.level}`} href={`/enterprises/${g.enterpriseId}`}>
      <span class="level-name">{g.enterpriseName}</span>
      <span class="level-score">
        {LEVEL_SHORT[g.level]} · {g.score} 分{g.standardizationVeto && <span class="veto-badge">一票否决</span>}
      </span>
      <span class="level-reasons" role="tooltip">
        <b>
          {LEVEL_LABEL[g.level]} · {g.day}
        </b>
        <table>
          <tbody>
            {g.parts.map((p) => (
              <tr key={p.key}>
                <th>{p.label}</th>
                <td>{p.detail}</td>
                <td class="num">{partText(p)}</td>
              </tr>
            ))}
            <tr>
              <th>合计</th>
              <td />
              <td class="num">{g.score} 分</td>
            </tr>
          </tbody>
        </table>
      </span>
    </Link>
  );
}

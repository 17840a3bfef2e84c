// 年度计划: a region's yearly inspection plan, target counts per risk level and what is done.
import { useEffect, useState } from 'preact/hooks';
import { districtText } from '../shared/labels';
import { useConsole } from '../shell/console.service';
import { EnforcementNav } from './enforcement-nav';
import { LEVEL_LABEL, LEVELS } from './inspection-labels';
import type { Plan, RiskLevel } from './inspection.types';

export function PlanPage() {
  const { http, session } = useConsole();
  const [plans, setPlans] = useState<Plan[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    http.get<Plan[]>('/inspection-plans').then(setPlans, (err: Error) => setError(err.message));
  }, [http, version]);
  const save = async (ev: Event) => {
    ev.preventDefault();
    const f = Object.fromEntries(new FormData(ev.currentTarget as HTMLFormElement).entries()) as Record<string, string>;
    const targets = Object.fromEntries(LEVELS.map((l) => [l, Number(f[l] ?? 0)])) as Record<RiskLevel, number>;
    try {
      await http.request('PUT', '/inspection-plans', { regionCode: f['regionCode'], year: Number(f['year']), targets });
      setVersion((v) => v + 1);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section class="enforcement">
      <EnforcementNav current="/inspections/plan" />
      <h2>年度检查计划</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <table class="list compact">
        <thead>
          <tr><th>区域</th><th>年度</th>{LEVELS.map((l) => <th key={l}>{LEVEL_LABEL[l]}色 完成/目标</th>)}</tr>
        </thead>
        <tbody>
          {plans.map((p) => (
            <tr key={p.id}>
              <td>{districtText(p.regionCode)}</td>
              <td>{p.year}</td>
              {LEVELS.map((l) => <td key={l}>{p.done[l]} / {p.targets[l]}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
      <form class="action-form" onSubmit={(e) => void save(e)}>
        <label>区域代码 <input name="regionCode" required defaultValue={session.regionCode ?? ''} /></label>
        <label>年度 <input name="year" type="number" required defaultValue={String(new Date().getFullYear())} /></label>
        {LEVELS.map((l) => (
          <label key={l}>{LEVEL_LABEL[l]}色企业检查目标（家次） <input name={l} type="number" min={0} required defaultValue="0" /></label>
        ))}
        <div class="form-buttons"><button type="submit">保存计划</button></div>
      </form>
    </section>
  );
}

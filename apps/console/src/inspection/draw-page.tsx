// 双随机抽查: a regulator draws N enterprises of a region (weighted by risk level) and M inspectors
// per team; the result shows the seed, the candidate list with weights and a replay check.
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from '../shared/format';
import { districtText } from '../shared/labels';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { EnforcementNav } from './enforcement-nav';
import { levelText } from './inspection-labels';
import type { Draw, Replay } from './inspection.types';

export function DrawPage() {
  const { http, session } = useConsole();
  const [regionCode, setRegionCode] = useState(session.regionCode ?? '');
  const [n, setN] = useState(3);
  const [m, setM] = useState(2);
  const [excludeDays, setExcludeDays] = useState(30);
  const [draw, setDraw] = useState<Draw | null>(null);
  const [replay, setReplay] = useState<Replay | null>(null);
  const [recent, setRecent] = useState<Draw[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    http.get<{ items: Draw[] }>('/draws', { pageSize: 10 }).then((r) => setRecent(r.items), (err: Error) => setError(err.message));
  }, [http, draw]);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    setReplay(null);
    try {
      setDraw(await http.post<Draw>('/draws', { regionCode, n, m, excludeDays }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const check = async (id: string) => {
    try {
      setReplay(await http.post<Replay>(`/draws/${id}/replay`));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const open = async (id: string) => {
    setReplay(null);
    try {
      setDraw(await http.get<Draw>(`/draws/${id}`));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section class="enforcement draw-page">
      <EnforcementNav current="/inspections/draw" />
      <h2>双随机抽查</h2>
      <form class="action-form draw-form" onSubmit={(e) => void submit(e)}>
        <label>
          区域代码
          <input name="regionCode" required pattern="\d{2}(\d{2}){0,2}" value={regionCode} onInput={(e) => setRegionCode(e.currentTarget.value)} />
        </label>
        <label>
          抽取企业数 N
          <input name="n" type="number" min={1} max={500} value={n} onInput={(e) => setN(Number(e.currentTarget.value))} />
        </label>
        <label>
          每组检查人员 M（至少 2 人）
          <input name="m" type="number" min={2} max={10} value={m} onInput={(e) => setM(Number(e.currentTarget.value))} />
        </label>
        <label>
          近 K 天已检查的企业不参与抽取
          <input name="excludeDays" type="number" min={0} value={excludeDays} onInput={(e) => setExcludeDays(Number(e.currentTarget.value))} />
        </label>
        <div class="form-buttons">
          <button type="submit" disabled={busy}>抽取</button>
        </div>
        <p class="muted">按企业风险等级加权（红 4、橙 3、黄 2、蓝 1，未定级按黄），与企业有关联的执法人员不参与该企业检查。</p>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {draw && (
        <div class="card draw-result" data-draw-id={draw.id}>
          <h3>
            抽取结果 <span class="muted">{districtText(draw.regionCode)} · {formatDateTime(draw.drawnAt)} · {draw.drawnBy}</span>
          </h3>
          <p>
            随机种子 <code class="seed">{draw.seed}</code> <span class="muted">算法 {draw.algorithm}</span>{' '}
            <button type="button" onClick={() => void check(draw.id)}>复核（重放）</button>{' '}
            {replay && <span class={`pill ${replay.matches ? 'online' : 'offline'} replay-result`}>{replay.matches ? '重放结果一致' : '重放结果不一致'}</span>}
          </p>
          <p class="muted">
            候选 {draw.candidates.length} 家，参与抽取 {draw.eligible} 家，近 {draw.excludeDays} 天已检查排除 {draw.excluded.length} 家。
          </p>
          <table class="list compact">
            <thead>
              <tr><th>企业</th><th>风险等级</th><th>检查组</th><th>任务</th></tr>
            </thead>
            <tbody>
              {draw.picks.map((p) => (
                <tr key={p.enterpriseId} class="draw-pick">
                  <td><Link href={`/enterprises/${p.enterpriseId}`}>{p.name ?? p.enterpriseId}</Link></td>
                  <td><span class={`level level-${p.level ?? 'none'}`}>{levelText(p.level, p.graded)}</span></td>
                  <td>{p.team.map((t) => `${t.name}（${t.certificateNo}）`).join('、')}{p.shortfall && <span class="badge warn">人员不足</span>}</td>
                  <td>{p.inspectionId ? <Link href={`/inspections/${p.inspectionId}`}>检查记录</Link> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <details>
            <summary>候选企业名单及权重</summary>
            <table class="list compact">
              <tbody>
                {draw.candidates.map((c) => (
                  <tr key={c.enterpriseId}>
                    <td>{c.name}</td>
                    <td>{levelText(c.level, c.graded)}</td>
                    <td>权重 {c.weight}</td>
                    <td>{c.lastInspectedOn ? `上次检查 ${c.lastInspectedOn}` : '未检查过'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </div>
      )}
      <h3>近期抽查</h3>
      <ul class="plain">
        {recent.map((d) => (
          <li key={d.id}>
            <button type="button" class="ghost" onClick={() => void open(d.id)}>
              {formatDateTime(d.drawnAt)} · {districtText(d.regionCode)} · 抽取 {d.picks.length} 家 · 种子 {d.seed.slice(0, 8)}…
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

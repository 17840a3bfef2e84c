// After the visit: findings (重大事故隐患 → the hazard register, confirmed; 一般问题 stays here),
// the 责令整改 order, 复查, 行政处罚 and closing.
import { useState } from 'preact/hooks';
import { useConsole } from '../shell/console.service';
import type { Inspection } from './inspection.types';

type Act = (work: () => Promise<Inspection>, done: string) => Promise<void>;

export function InspectionFollowUp({ inspection: i, busy, regulator, act }: { inspection: Inspection; busy: boolean; regulator: boolean; act: Act }) {
  const { http } = useConsole();
  const [kind, setKind] = useState<'major' | 'general'>('general');
  const [basis, setBasis] = useState('');
  const [description, setDescription] = useState('');
  const post = (path: string, body: object, done: string) => act(() => http.post<Inspection>(`/inspections/${i.id}/${path}`, body), done);
  const form = (ev: Event) => Object.fromEntries(new FormData(ev.currentTarget as HTMLFormElement).entries()) as Record<string, string>;

  const addFinding = (ev: Event) => {
    ev.preventDefault();
    const item = i.checklist.find((c) => String(c.id) === basis);
    void post('findings', { kind, description, ...(kind === 'major' && item && { article: item.article, item: item.item }) }, kind === 'major' ? '已录入重大事故隐患台账（已确认）' : '已记录一般问题').then(() => setDescription(''));
  };
  return (
    <div class="follow-up">
      <h3>发现的问题</h3>
      <ul class="plain findings">
        {i.findings.map((f) => (
          <li key={f.id}>
            <span class={`badge ${f.kind === 'major' ? 'hazard' : 'warn'}`}>{f.kind === 'major' ? '重大事故隐患' : '一般问题'}</span> {f.description}
            {f.hazardId && <span class="muted"> · 已入隐患台账</span>}
          </li>
        ))}
        {i.findings.length === 0 && <li class="muted">暂无</li>}
      </ul>
      {regulator && i.status === 'recorded' && (
        <form class="action-form" onSubmit={addFinding}>
          <label>
            类别
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value as 'major' | 'general')}>
              <option value="general">一般问题</option>
              <option value="major">重大事故隐患</option>
            </select>
          </label>
          {kind === 'major' && (
            <label>
              判定依据
              <select required value={basis} onChange={(e) => setBasis(e.currentTarget.value)}>
                <option value="">请选择</option>
                {i.checklist.map((c) => (
                  <option key={c.id} value={String(c.id)}>{`${c.label} ${c.title}`}</option>
                ))}
              </select>
            </label>
          )}
          <label>
            问题描述 <textarea required rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          </label>
          <div class="form-buttons"><button type="submit" disabled={busy}>添加问题</button></div>
        </form>
      )}
      <h3>责令整改</h3>
      {i.order ? (
        <p class="order">
          {i.order.number} · 限 {i.order.deadline} 前 · {i.order.requirements} · <b>{i.order.status === 'closed' ? '复查合格' : '整改中'}</b>
        </p>
      ) : (
        <p class="muted">未下达</p>
      )}
      {regulator && i.status === 'recorded' && (
        <form class="action-form" onSubmit={(e) => { e.preventDefault(); void post('order', form(e), '已下达责令整改'); }}>
          <label>文书编号 <input name="number" required /></label>
          <label>整改期限 <input name="deadline" type="date" required /></label>
          <label>整改要求 <textarea name="requirements" required rows={2} /></label>
          <div class="form-buttons">
            <button type="submit" disabled={busy}>下达责令整改</button>
            <button type="button" class="ghost" disabled={busy} onClick={() => void post('close', {}, '已办结')}>无需整改，办结</button>
          </div>
        </form>
      )}
      {i.reinspections.map((r) => (
        <p key={r.id}>复查 {r.visitDate}：{r.passed ? '合格' : '不合格'} · {r.note}</p>
      ))}
      {regulator && i.status === 'rectifying' && (
        <form class="action-form" onSubmit={(e) => { e.preventDefault(); const f = form(e); void post('reinspection', { visitDate: f['visitDate'], passed: f['passed'] === 'true', note: f['note'] }, '复查已记录'); }}>
          <label>复查日期 <input name="visitDate" type="date" required /></label>
          <label>结论 <select name="passed"><option value="true">整改合格</option><option value="false">未整改到位</option></select></label>
          <label>复查意见 <textarea name="note" required rows={2} /></label>
          <div class="form-buttons"><button type="submit" disabled={busy}>记录复查</button></div>
        </form>
      )}
      <h3>行政处罚</h3>
      {i.penalties.map((p) => (
        <p key={p.id}>{p.decisionNumber}（{p.decidedOn}）· {p.legalBasis} · 罚款 {p.amount.toFixed(2)} 元</p>
      ))}
      {i.penalties.length === 0 && <p class="muted">无</p>}
      {regulator && (i.status === 'recorded' || i.status === 'rectifying' || i.status === 'closed') && (
        <details>
          <summary>记录行政处罚决定</summary>
          <form class="action-form" onSubmit={(e) => { e.preventDefault(); const f = form(e); void post('penalty', { ...f, amount: Number(f['amount']) }, '处罚决定已记录'); }}>
            <label>决定书文号 <input name="decisionNumber" required /></label>
            <label>法律依据 <input name="legalBasis" required /></label>
            <label>罚款金额（元） <input name="amount" type="number" min={0} step="0.01" required /></label>
            <label>决定日期 <input name="decidedOn" type="date" required /></label>
            <div class="form-buttons"><button type="submit" disabled={busy}>记录</button></div>
          </form>
        </details>
      )}
    </div>
  );
}

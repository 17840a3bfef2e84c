// 人员变更: the enterprise reports a new 主要负责人, 实际控制人 or 安全管理人员; a regulator accepts it
// (通过) or sends it back (退回) with a reason; every change stays in the history with the previous holder.
import { useState } from 'preact/hooks';
import type { EnterpriseDetail, PersonnelChange, PersonnelRole } from '../api/api.types';
import { CHANGE_STATE_LABEL, PERSONNEL_SOURCE_LABEL, ROLE_OF_PERSON } from '../shared/ledger-labels';
import { formatDateTime, shanghaiToday } from '../shared/format';
import { useConsole } from '../shell/console.service';

export function PersonnelCard({ enterprise, onChanged }: { enterprise: EnterpriseDetail; onChanged: () => void }) {
  const { http, session } = useConsole();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const decide = (c: PersonnelChange, accept: boolean) => {
    const reason = accept ? null : prompt('退回原因');
    if (!accept && !reason) return;
    void act(() => http.post(`/personnel-changes/${c.id}/${accept ? 'accept' : 'reject'}`, { reason }));
  };
  const regulator = session.role !== 'enterprise';
  return (
    <section class="card personnel">
      <h3>人员变更</h3>
      {error && <p class="error" role="alert">{error}</p>}
      {enterprise.personnelChanges.length > 0 && (
        <table class="list compact">
          <thead>
            <tr><th>岗位</th><th>变更为</th><th>生效日期</th><th>说明</th><th>状态</th><th /></tr>
          </thead>
          <tbody>
            {enterprise.personnelChanges.map((c) => (
              <tr key={c.id}>
                <td>{ROLE_OF_PERSON[c.role]}</td>
                <td>{c.name}{c.phone ? `（${c.phone}）` : ''}</td>
                <td>{c.effectiveDate}</td>
                <td>{c.note ?? ''}</td>
                <td>{CHANGE_STATE_LABEL[c.state]}{c.decisionReason ? `：${c.decisionReason}` : ''}</td>
                <td>
                  {regulator && c.state === 'pending' && (
                    <span class="action-buttons">
                      <button type="button" class="primary" disabled={busy} onClick={() => decide(c, true)}>通过</button>
                      <button type="button" disabled={busy} onClick={() => decide(c, false)}>退回</button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!regulator && <ChangeForm busy={busy} onSubmit={(body) => void act(() => http.post(`/enterprises/${enterprise.id}/personnel-changes`, body))} />}
      <h4>变更记录</h4>
      <table class="list compact">
        <thead>
          <tr><th>岗位</th><th>原任</th><th>现任</th><th>生效日期</th><th>来源</th><th>记录时间</th></tr>
        </thead>
        <tbody>
          {[...enterprise.personnelHistory].reverse().map((h) => (
            <tr key={`${h.role}-${h.recordedAt}`}>
              <td>{ROLE_OF_PERSON[h.role]}</td>
              <td>{h.previousName ?? '—'}</td>
              <td>{h.name}{h.phone ? `（${h.phone}）` : ''}</td>
              <td>{h.effectiveDate}</td>
              <td>{PERSONNEL_SOURCE_LABEL[h.source]}</td>
              <td>{formatDateTime(h.recordedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface ChangeBody {
  role: PersonnelRole;
  name: string;
  phone: string | null;
  effectiveDate: string;
  note: string | null;
}

function ChangeForm({ busy, onSubmit }: { busy: boolean; onSubmit: (body: ChangeBody) => void }) {
  const [role, setRole] = useState<PersonnelRole>('principal');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [effectiveDate, setDate] = useState(shanghaiToday());
  const [note, setNote] = useState('');
  const submit = (ev: Event) => {
    ev.preventDefault();
    onSubmit({ role, name: name.trim(), phone: phone.trim() || null, effectiveDate, note: note.trim() || null });
  };
  return (
    <form class="action-form" onSubmit={submit}>
      <strong>申报人员变更（报监管部门审核）</strong>
      <label>
        岗位
        <select value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as PersonnelRole)}>
          {(Object.keys(ROLE_OF_PERSON) as PersonnelRole[]).map((r) => (
            <option key={r} value={r}>{ROLE_OF_PERSON[r]}</option>
          ))}
        </select>
      </label>
      <label>
        姓名（单位）
        <input required maxLength={64} value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        手机号码
        <input inputMode="tel" value={phone} onInput={(e) => setPhone((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        生效日期
        <input type="date" required value={effectiveDate} onInput={(e) => setDate((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        变更说明
        <input maxLength={500} value={note} onInput={(e) => setNote((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <div class="form-buttons">
        <button type="submit" class="primary" disabled={busy || !name.trim()}>提交申报</button>
      </div>
    </form>
  );
}

// The actions the user's role and the alarm's state allow (docs/contracts.md §3–§4): ack and dispose
// for everyone in scope; close, shelve and unshelve for regulators and admins.
import { useState } from 'preact/hooks';
import type { AlarmDetail, DisposalCause, Role } from '../api/api.types';
import { ApiError, type HttpClient } from '../api/http.client';
import { CAUSE_LABEL } from '../shared/labels';

type Mode = 'dispose' | 'shelve' | 'close' | null;

interface Props {
  alarm: AlarmDetail;
  role: Role;
  http: HttpClient;
  /** after a successful action: reload the alarm */
  onDone(): void;
}

export function allowedActions(a: AlarmDetail, role: Role) {
  const supervisor = role === 'admin' || role === 'regulator';
  const notClosed = a.stage !== 'closed';
  return {
    ack: notClosed && !a.acknowledged,
    dispose: a.stage === 'open',
    close: supervisor && a.condition === 'cleared' && a.stage === 'disposed',
    shelve: supervisor && notClosed && !a.shelvedUntil,
    unshelve: supervisor && Boolean(a.shelvedUntil),
  };
}

export function AlarmActions({ alarm, role, http, onDone }: Props) {
  const [mode, setMode] = useState<Mode>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const can = allowedActions(alarm, role);

  const run = async (action: string, body?: unknown) => {
    setBusy(true);
    setError(null);
    try {
      await http.post(`/alarms/${alarm.id}/${action}`, body);
      setMode(null);
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const none = !Object.values(can).some(Boolean);
  return (
    <div class="actions">
      <div class="action-buttons">
        {can.ack && <button type="button" class="primary" data-action="ack" disabled={busy} onClick={() => void run('ack', {})}>确认报警</button>}
        {can.dispose && <button type="button" data-action="dispose" disabled={busy} onClick={() => setMode('dispose')}>处置</button>}
        {can.close && <button type="button" data-action="close" disabled={busy} onClick={() => setMode('close')}>关闭</button>}
        {can.shelve && <button type="button" data-action="shelve" disabled={busy} onClick={() => setMode('shelve')}>搁置</button>}
        {can.unshelve && <button type="button" data-action="unshelve" disabled={busy} onClick={() => void run('unshelve')}>取消搁置</button>}
        {none && <span class="muted">当前状态下没有可执行的操作</span>}
      </div>
      {mode === 'dispose' && <DisposeForm busy={busy} onCancel={() => setMode(null)} onSubmit={(body) => void run('dispose', body)} />}
      {mode === 'close' && <CommentForm title="关闭报警" field="备注（可选）" busy={busy} onCancel={() => setMode(null)} onSubmit={(comment) => void run('close', comment ? { comment } : {})} />}
      {mode === 'shelve' && <ShelveForm busy={busy} onCancel={() => setMode(null)} onSubmit={(body) => void run('shelve', body)} />}
      {error && <p class="error" role="alert">操作失败：{error}</p>}
    </div>
  );
}

interface FormProps<T> {
  busy: boolean;
  onCancel(): void;
  onSubmit(value: T): void;
}

function DisposeForm({ busy, onCancel, onSubmit }: FormProps<{ cause: DisposalCause; measures: string }>) {
  const [cause, setCause] = useState<DisposalCause>('real_hazard');
  const [measures, setMeasures] = useState('');
  return (
    <form class="action-form" onSubmit={(e) => (e.preventDefault(), onSubmit({ cause, measures: measures.trim() }))}>
      <label>
        原因
        <select name="cause" value={cause} onChange={(e) => setCause(e.currentTarget.value as DisposalCause)}>
          {(Object.keys(CAUSE_LABEL) as DisposalCause[]).map((c) => (
            <option key={c} value={c}>{CAUSE_LABEL[c]}</option>
          ))}
        </select>
      </label>
      <label>
        处置措施
        <textarea name="measures" rows={3} value={measures} onInput={(e) => setMeasures(e.currentTarget.value)} required placeholder="例如：已关闭阀门，通风后复测正常" />
      </label>
      <FormButtons busy={busy} submit="提交处置" onCancel={onCancel} />
    </form>
  );
}

function ShelveForm({ busy, onCancel, onSubmit }: FormProps<{ minutes: number; reason: string }>) {
  const [minutes, setMinutes] = useState(60);
  const [reason, setReason] = useState('');
  return (
    <form class="action-form" onSubmit={(e) => (e.preventDefault(), onSubmit({ minutes, reason: reason.trim() }))}>
      <label>
        搁置时长（分钟，1–1440）
        <input name="minutes" type="number" min={1} max={1440} value={minutes} onInput={(e) => setMinutes(Number(e.currentTarget.value))} required />
      </label>
      <label>
        理由
        <input name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required />
      </label>
      <FormButtons busy={busy} submit="搁置" onCancel={onCancel} />
    </form>
  );
}

function CommentForm({ title, field, busy, onCancel, onSubmit }: FormProps<string> & { title: string; field: string }) {
  const [comment, setComment] = useState('');
  return (
    <form class="action-form" onSubmit={(e) => (e.preventDefault(), onSubmit(comment.trim()))}>
      <label>
        {field}
        <input name="comment" value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </label>
      <FormButtons busy={busy} submit={title} onCancel={onCancel} />
    </form>
  );
}

function FormButtons({ busy, submit, onCancel }: { busy: boolean; submit: string; onCancel(): void }) {
  return (
    <div class="form-buttons">
      <button type="submit" class="primary" disabled={busy}>{submit}</button>
      <button type="button" class="ghost" onClick={onCancel}>取消</button>
    </div>
  );
}

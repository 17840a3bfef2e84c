// The hazard actions the role and state allow (hazard-actions.ts), each with its form: confirm,
// reject with a reason, the rectification plan, evidence with up to 9 photos, return with a reason,
// 销号. A refusal of the API is shown in Chinese.
import { useState } from 'preact/hooks';
import type { Hazard } from '../api/api.types';
import type { HttpClient } from '../api/http.client';
import type { Session } from '../api/session.service';
import { shanghaiToday } from '../shared/format';
import { ACTION_LABEL, ACTION_PATH, availableActions, type HazardActionName, signOffHint } from './hazard-actions';
import { refusalText } from './hazard-refusal';

export const MAX_PHOTOS = 9;

interface Props {
  hazard: Hazard;
  session: Session;
  http: HttpClient;
  onDone(h: Hazard): void;
}

export function HazardActions({ hazard, session, http, onDone }: Props) {
  const [mode, setMode] = useState<HazardActionName | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const actor = { userId: session.userId, role: session.role, enterpriseId: session.enterpriseId };
  const can = availableActions(hazard, actor);
  const hint = signOffHint(hazard, actor);

  const run = async (action: HazardActionName, body: unknown) => {
    setBusy(true);
    setError(null);
    try {
      const path = `/hazards/${hazard.id}/${ACTION_PATH[action]}`;
      const h = body instanceof FormData ? await http.postForm<Hazard>(path, body) : await http.post<Hazard>(path, body);
      setMode(null);
      onDone(h);
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => setMode(null);

  return (
    <div class="actions hazard-actions">
      <div class="action-buttons">
        {can.map((a) => (
          <button
            key={a}
            type="button"
            class={a === 'confirm' || a === 'sign_off' ? 'primary' : undefined}
            data-action={a}
            disabled={busy}
            onClick={() => {
              setError(null);
              setMode(a);
            }}
          >
            {ACTION_LABEL[a]}
          </button>
        ))}
        {can.length === 0 && <span class="muted">当前状态下您没有可办理的操作</span>}
      </div>
      {hint && <p class="muted small">{hint}</p>}
      {mode === 'confirm' && <TextForm title="确认为重大事故隐患" field="意见（可选）" name="comment" optional busy={busy} onCancel={cancel} onSubmit={(comment) => void run('confirm', comment ? { comment } : {})} />}
      {mode === 'reject' && <TextForm title="不予认定" field="理由" name="reason" busy={busy} onCancel={cancel} onSubmit={(reason) => void run('reject', { reason })} />}
      {mode === 'plan' && <PlanForm hazard={hazard} busy={busy} onCancel={cancel} onSubmit={(body) => void run('plan', body)} />}
      {mode === 'submit' && <EvidenceForm busy={busy} onCancel={cancel} onError={setError} onSubmit={(form) => void run('submit', form)} />}
      {mode === 'return' && <TextForm title="退回整改" field="退回理由" name="reason" busy={busy} onCancel={cancel} onSubmit={(reason) => void run('return', { reason })} />}
      {mode === 'sign_off' && <TextForm title="销号" field="验收意见（可选）" name="comment" optional busy={busy} onCancel={cancel} onSubmit={(comment) => void run('sign_off', comment ? { comment } : {})} />}
      {error && (
        <p class="error" role="alert">
          操作失败：{error}
        </p>
      )}
    </div>
  );
}

interface FormProps<T> {
  busy: boolean;
  onCancel(): void;
  onSubmit(value: T): void;
}

function TextForm({ title, field, name, optional, busy, onCancel, onSubmit }: FormProps<string> & { title: string; field: string; name: string; optional?: boolean }) {
  const [text, setText] = useState('');
  return (
    <form class="action-form" data-form={name} onSubmit={(e) => (e.preventDefault(), onSubmit(text.trim()))}>
      <label>
        {field}
        <textarea name={name} rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} required={!optional} />
      </label>
      <FormButtons busy={busy} submit={title} onCancel={onCancel} />
    </form>
  );
}

/** A day picked in the form means the end of that day in Shanghai. */
export function deadlineOf(day: string): string {
  return `${day}T23:59:59+08:00`;
}

function PlanForm({ hazard, busy, onCancel, onSubmit }: FormProps<{ measures: string; funds: number | null; responsible: string; deadline: string }> & { hazard: Hazard }) {
  const [measures, setMeasures] = useState(hazard.plan?.measures ?? '');
  const [funds, setFunds] = useState(hazard.plan?.funds === null || hazard.plan?.funds === undefined ? '' : String(hazard.plan.funds));
  const [responsible, setResponsible] = useState(hazard.plan?.responsible ?? '');
  const [day, setDay] = useState(hazard.plan ? new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(hazard.plan.deadline)) : '');
  return (
    <form class="action-form" data-form="plan" onSubmit={(e) => (e.preventDefault(), onSubmit({ measures: measures.trim(), funds: funds === '' ? null : Number(funds), responsible: responsible.trim(), deadline: deadlineOf(day) }))}>
      <label>
        整改措施
        <textarea name="measures" rows={3} value={measures} onInput={(e) => setMeasures(e.currentTarget.value)} required />
      </label>
      <label>
        整改资金（元，可选）
        <input name="funds" type="number" min={0} step="0.01" value={funds} onInput={(e) => setFunds(e.currentTarget.value)} />
      </label>
      <label>
        整改责任人
        <input name="responsible" value={responsible} onInput={(e) => setResponsible(e.currentTarget.value)} required />
      </label>
      <label>
        整改期限
        <input name="deadline" type="date" min={shanghaiToday()} value={day} onInput={(e) => setDay(e.currentTarget.value)} required />
      </label>
      <FormButtons busy={busy} submit="提交整改方案" onCancel={onCancel} />
    </form>
  );
}

function EvidenceForm({ busy, onCancel, onSubmit, onError }: FormProps<FormData> & { onError(message: string | null): void }) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const pick = (list: FileList | null) => {
    const picked = list ? [...list] : [];
    if (picked.length > MAX_PHOTOS) onError(`每次最多上传 ${MAX_PHOTOS} 张照片`);
    else onError(null);
    setFiles(picked.slice(0, MAX_PHOTOS));
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData();
    form.append('text', text.trim());
    for (const f of files) form.append('photos', f, f.name);
    onSubmit(form);
  };
  return (
    <form class="action-form" data-form="evidence" onSubmit={submit}>
      <label>
        整改情况说明
        <textarea name="text" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} required />
      </label>
      <label>
        现场照片（JPEG、PNG 或 WebP，每张不超过 5 MB，最多 {MAX_PHOTOS} 张）
        <input name="photos" type="file" accept="image/jpeg,image/png,image/webp" multiple onChange={(e) => pick(e.currentTarget.files)} />
      </label>
      {files.length > 0 && <p class="muted small">已选 {files.length} 张</p>}
      <FormButtons busy={busy} submit="提交整改材料" onCancel={onCancel} />
    </form>
  );
}

function FormButtons({ busy, submit, onCancel }: { busy: boolean; submit: string; onCancel(): void }) {
  return (
    <div class="form-buttons">
      <button type="submit" class="primary" disabled={busy}>
        {submit}
      </button>
      <button type="button" class="ghost" onClick={onCancel}>
        取消
      </button>
    </div>
  );
}

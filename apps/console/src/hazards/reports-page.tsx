// 举报 triage (issue 12, regulators): the queue newest first; per report assign (to oneself),
// name the enterprise, record the verification, close as 查实 (a confirmed hazard with source
// report, 判定依据 from the enterprise's catalogue items) or 不实 with the reply the reporter reads,
// and record a reward for a report found true. The report picked stays open beside the queue, also
// once it leaves the queue's filter.
import { itemsForCategories } from '@sw/hazards';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Page, PublicReport } from '../api/api.types';
import { formatDateTime } from '../shared/format';
import { districtText, REPORT_STATUS_LABEL } from '../shared/labels';
import { useObservable } from '../shared/observable';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { Select } from '../shared/filter-select';
import { itemKey, parseItemKey } from './hazard-new-page';
import { refusalText } from './hazard-refusal';
import { photoObjectUrl } from './hazard-bits';

const OPEN = ['received', 'assigned', 'verifying'];

export function ReportsPage() {
  const { http } = useConsole();
  const [status, setStatus] = useState('received,assigned,verifying');
  const [page, setPage] = useState<Page<PublicReport> | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let gone = false;
    http.get<Page<PublicReport>>('/reports', { status: status || undefined, pageSize: 100 }).then(
      (p) => !gone && (setPage(p), setError(null)),
      (err: unknown) => !gone && setError(refusalText(err)),
    );
    return () => {
      gone = true;
    };
  }, [http, status, version]);

  const statuses = [
    { value: 'received,assigned,verifying', text: '待办结' },
    ...Object.entries(REPORT_STATUS_LABEL).map(([value, text]) => ({ value, text })),
  ];
  return (
    <section class="reports">
      <h2>
        群众举报 <span class="muted small">举报页面：<a href="/api/v1/public/report" target="_blank" rel="noopener">/api/v1/public/report</a></span>
      </h2>
      <div class="filters">
        <Select label="状态" name="reportStatus" all="全部" value={status} options={statuses} onChange={setStatus} />
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {open && (
        <div class="card report-panel">
          <ReportDetail key={open} id={open} onChanged={() => setVersion((v) => v + 1)} />
        </div>
      )}
      {!page && !error && <p class="muted">加载中…</p>}
      {page && (
        <table class="list report-table">
          <thead>
            <tr><th>收到时间</th><th>企业或地址</th><th>举报内容</th><th>状态</th><th>核查人</th></tr>
          </thead>
          <tbody>
            {page.items.map((r) => (
              <tr key={r.id} class={`report-row${open === r.id ? ' selected' : ''}`} data-report-id={r.id} data-status={r.status} onClick={() => setOpen(open === r.id ? null : r.id)}>
                <td class="c-time">{formatDateTime(r.createdAt)}</td>
                <td>{r.enterpriseName ?? r.address ?? '—'}</td>
                <td class="c-message">{r.description}</td>
                <td><span class={`pill rp-${r.status}`}>{REPORT_STATUS_LABEL[r.status]}</span></td>
                <td>{r.assigneeUsername ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page?.items.length === 0 && <p class="empty">没有举报</p>}
    </section>
  );
}

function ReportDetail({ id, onChanged }: { id: string; onChanged(): void }) {
  const { http, directory } = useConsole();
  const enterprises = useObservable(directory);
  const [r, setR] = useState<PublicReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [photos, setPhotos] = useState<string[]>([]);
  const [enterpriseId, setEnterpriseId] = useState('');
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<'confirmed' | 'unfounded'>('confirmed');
  const [reply, setReply] = useState('');
  const [key, setKey] = useState('');
  const [reward, setReward] = useState('');

  const load = () =>
    http.get<PublicReport>(`/reports/${id}`).then(
      (x) => (setR(x), setEnterpriseId(x.enterpriseId ?? ''), setNote(x.verifyNote ?? '')),
      (err: unknown) => setError(refusalText(err)),
    );
  useEffect(() => void load(), [id]);
  useEffect(() => {
    const made: string[] = [];
    for (const p of r?.photos ?? []) void photoObjectUrl(http, p.url).then((u) => (made.push(u), setPhotos((prev) => [...prev, u])), () => undefined);
    return () => made.forEach((u) => URL.revokeObjectURL(u));
  }, [http, r?.id]);

  const ent = enterprises.get(r?.enterpriseId ?? '');
  const items = useMemo(() => (ent ? itemsForCategories(ent.riskCategories) : []), [ent]);
  if (!r) return error ? <p class="error">{error}</p> : <p class="muted">加载中…</p>;

  const step = async (path: string, body: unknown) => {
    setBusy(true);
    setError(null);
    try {
      await http.post(`/reports/${id}/${path}`, body);
      await load();
      onChanged();
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  const close = (e: Event) => {
    e.preventDefault();
    const basis = parseItemKey(key);
    if (outcome === 'confirmed' && !basis) return setError('请选择判定依据');
    void step('close', {
      outcome,
      reply: reply.trim(),
      ...(outcome === 'confirmed' && basis && { ...basis, description: r.description.slice(0, 2000), ...(reward !== '' && { reward: Number(reward) }) }),
    });
  };
  const isOpen = OPEN.includes(r.status);
  return (
    <div class="report-detail" data-report-id={r.id}>
      <p>
        <span class={`pill rp-${r.status}`} data-report-status={r.status}>{REPORT_STATUS_LABEL[r.status]}</span> {r.description}
      </p>
      <dl class="facts">
        <div><dt>收到时间</dt><dd>{formatDateTime(r.createdAt)}</dd></div>
        <div><dt>举报人手机</dt><dd>{r.phone ?? '匿名'}</dd></div>
        <div><dt>企业</dt><dd>{ent ? <Link href={`/enterprises/${ent.id}`}>{ent.name}</Link> : (r.enterpriseName ?? '未指定')}</dd></div>
        <div><dt>区县</dt><dd>{r.regionCode ? districtText(r.regionCode) : '—'}</dd></div>
        <div><dt>地址</dt><dd>{r.address ?? '—'}</dd></div>
        <div><dt>核查情况</dt><dd>{r.verifyNote ?? '—'}</dd></div>
        <div><dt>答复</dt><dd>{r.reply ?? '—'}</dd></div>
        <div><dt>奖励</dt><dd>{r.reward === null ? '—' : `${r.reward} 元`}</dd></div>
        <div><dt>隐患</dt><dd>{r.hazardId ? <Link href={`/hazards/${r.hazardId}`}>查看隐患</Link> : '—'}</dd></div>
      </dl>
      {photos.length > 0 && (
        <div class="photo-grid">
          {photos.map((u) => (
            <img key={u} src={u} alt="举报照片" class="hazard-photo" />
          ))}
        </div>
      )}
      {isOpen && (
        <div class="action-buttons">
          <button type="button" data-action="assign" disabled={busy} onClick={() => void step('assign', enterpriseId && enterpriseId !== r.enterpriseId ? { enterpriseId } : {})}>
            由我核查
          </button>
          <label class="filter">
            <span>涉及企业</span>
            <select name="reportEnterprise" value={enterpriseId} onChange={(e) => setEnterpriseId(e.currentTarget.value)}>
              <option value="">未指定</option>
              {[...enterprises.values()].map((e) => (
                <option key={e.id} value={e.id}>{e.name}</option>
              ))}
            </select>
          </label>
          <button type="button" data-action="enterprise" disabled={busy || !enterpriseId || enterpriseId === r.enterpriseId} onClick={() => void step('enterprise', { enterpriseId })}>
            指定企业
          </button>
        </div>
      )}
      {isOpen && (
        <form class="action-form" data-form="verify" onSubmit={(e) => (e.preventDefault(), void step('verify', { note: note.trim() }))}>
          <label>
            核查情况
            <textarea name="note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} required />
          </label>
          <div class="form-buttons">
            <button type="submit" disabled={busy}>记录核查</button>
          </div>
        </form>
      )}
      {isOpen && (
        <form class="action-form" data-form="close" onSubmit={close}>
          <label>
            办结结论
            <select name="outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value as 'confirmed' | 'unfounded')}>
              <option value="confirmed">查实（登记为已确认的重大事故隐患）</option>
              <option value="unfounded">不实</option>
            </select>
          </label>
          {outcome === 'confirmed' && (
            <>
              <label>
                判定依据
                <select name="basis" value={key} onChange={(e) => setKey(e.currentTarget.value)} disabled={!ent}>
                  <option value="">{ent ? '请选择条款' : '请先指定企业'}</option>
                  {items.map((i) => (
                    <option key={itemKey(i)} value={itemKey(i)}>{i.label} {i.title}</option>
                  ))}
                </select>
              </label>
              <label>
                奖励金额（元，可选）
                <input name="reward" type="number" min={0} step="1" value={reward} onInput={(e) => setReward(e.currentTarget.value)} />
              </label>
            </>
          )}
          <label>
            给举报人的答复
            <textarea name="reply" rows={2} value={reply} onInput={(e) => setReply(e.currentTarget.value)} required />
          </label>
          <div class="form-buttons">
            <button type="submit" class="primary" disabled={busy}>办结</button>
          </div>
        </form>
      )}
      {r.status === 'confirmed' && (
        <form class="action-form" data-form="reward" onSubmit={(e) => (e.preventDefault(), void step('reward', { amount: Number(reward) }))}>
          <label>
            奖励金额（元）
            <input name="amount" type="number" min={0} step="1" value={reward} onInput={(e) => setReward(e.currentTarget.value)} required />
          </label>
          <div class="form-buttons">
            <button type="submit" disabled={busy}>记录奖励</button>
          </div>
        </form>
      )}
      {error && <p class="error" role="alert">操作失败：{error}</p>}
    </div>
  );
}

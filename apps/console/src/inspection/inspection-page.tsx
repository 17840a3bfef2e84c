// 现场检查 (one inspection): the form the inspectors fill in on site, on a phone — team, date,
// the 判定标准 checklist with notes and photos, then findings (重大事故隐患 goes to the hazard
// register), 责令整改, 复查, 行政处罚, and the printable record.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/http.client';
import { districtText } from '../shared/labels';
import { shanghaiToday } from '../shared/format';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { EnforcementNav } from './enforcement-nav';
import { MODE_LABEL, RESULT_LABEL, STATUS_LABEL } from './inspection-labels';
import { InspectionFollowUp } from './inspection-follow-up';
import type { CheckResult, Inspection, Inspector } from './inspection.types';

const RESULTS: CheckResult[] = ['compliant', 'finding', 'not_applicable'];

export function InspectionPage({ id }: { id: string }) {
  const { http, session } = useConsole();
  const [insp, setInsp] = useState<Inspection | null>(null);
  const [pool, setPool] = useState<Inspector[]>([]);
  const [team, setTeam] = useState<string[]>([]);
  const [visitDate, setVisitDate] = useState(shanghaiToday());
  const [results, setResults] = useState<Record<number, { result: CheckResult | null; note: string }>>({});
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const regulator = session.role !== 'enterprise';

  const load = (i: Inspection) => {
    setInsp(i);
    setTeam(i.inspectors.map((x) => x.id));
    setVisitDate(i.visitDate);
    setSummary(i.summary ?? '');
    setResults(Object.fromEntries(i.checklist.map((c) => [c.id, { result: c.result, note: c.note ?? '' }])));
  };
  useEffect(() => {
    http.get<Inspection>(`/inspections/${id}`).then(load, (err: Error) => setError(err.message));
    if (regulator) http.get<Inspector[]>('/inspectors').then(setPool, () => setPool([]));
  }, [http, id]);

  const act = async (work: () => Promise<Inspection>, done: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      load(await work());
      setNotice(done);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const save = (ev: Event) => {
    ev.preventDefault();
    const checklist = Object.entries(results)
      .filter(([, v]) => v.result)
      .map(([k, v]) => ({ id: Number(k), result: v.result as CheckResult, ...(v.note.trim() && { note: v.note.trim() }) }));
    void act(() => http.post<Inspection>(`/inspections/${id}/record`, { visitDate, inspectorIds: team, checklist, ...(summary.trim() && { summary: summary.trim() }) }), '检查记录已保存');
  };
  const upload = (files: FileList | null, checklistItemId?: number) => {
    if (!files || files.length === 0) return;
    const form = new FormData();
    for (const f of Array.from(files)) form.append('photos', f);
    if (checklistItemId !== undefined) form.append('checklistItemId', String(checklistItemId));
    void act(async () => {
      const res = await fetch(`/api/v1/inspections/${id}/photos`, { method: 'POST', headers: { authorization: `Bearer ${session.token}` }, body: form });
      const text = await res.text();
      if (!res.ok) throw new Error(errorMessage(res.status, text));
      return JSON.parse(text) as Inspection;
    }, '照片已上传');
  };
  const printRecord = async () => {
    try {
      const file = await http.blob(`/inspections/${id}/record.pdf`);
      window.open(URL.createObjectURL(file), '_blank');
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (error && !insp) return <p class="error" role="alert">{error}</p>;
  if (!insp) return <p class="muted">加载中…</p>;
  const editable = regulator && (insp.status === 'planned' || insp.status === 'recorded');
  const toggle = (inspectorId: string) => setTeam((t) => (t.includes(inspectorId) ? t.filter((x) => x !== inspectorId) : [...t, inspectorId]));
  const setResult = (itemId: number, patch: Partial<{ result: CheckResult | null; note: string }>) =>
    setResults((r) => ({ ...r, [itemId]: { result: r[itemId]?.result ?? null, note: r[itemId]?.note ?? '', ...patch } }));

  return (
    <section class="enforcement inspection-page">
      {regulator && <EnforcementNav current="" />}
      <h2>
        {insp.enterpriseName} <span class="muted">{districtText(insp.regionCode)}</span>
      </h2>
      <p class="pills">
        <span class="pill">{MODE_LABEL[insp.mode]}</span> <span class={`pill status-${insp.status}`}>{STATUS_LABEL[insp.status]}</span>{' '}
        <button type="button" class="ghost record-pdf" onClick={() => void printRecord()}>检查记录 PDF</button>
        {insp.alarmId && <Link href={`/alarms/${insp.alarmId}`}> 来源报警</Link>}
      </p>
      {insp.subject && <p>{insp.subject}</p>}
      {error && <p class="error" role="alert">{error}</p>}
      {notice && <p class="notice" role="status">{notice}</p>}
      <form class="inspection-form" onSubmit={save}>
        <fieldset disabled={!editable || busy}>
          <label class="field">
            检查日期 <input type="date" name="visitDate" required value={visitDate} onInput={(e) => setVisitDate(e.currentTarget.value)} />
          </label>
          <div class="field">
            检查人员（至少 2 人，出示执法证）
            <div class="team">
              {(regulator ? pool.filter((i) => i.active || team.includes(i.id)) : insp.inspectors.map((x): Inspector => ({ ...x, regionCode: '', active: true, relatedEnterpriseIds: [] }))).map((i) => (
                <label key={i.id} class="check">
                  <input type="checkbox" name="inspector" checked={team.includes(i.id)} onChange={() => toggle(i.id)} disabled={i.relatedEnterpriseIds.includes(insp.enterpriseId)} />
                  {i.name} <span class="muted">{i.certificateNo}</span>
                  {i.relatedEnterpriseIds.includes(insp.enterpriseId) && <span class="badge warn">回避</span>}
                </label>
              ))}
            </div>
          </div>
          <h3>检查内容 <span class="muted">《工贸企业重大事故隐患判定标准》</span></h3>
          <ol class="checklist">
            {insp.checklist.map((c) => {
              const v = results[c.id];
              const photos = insp.photos.filter((p) => p.checklistItemId === c.id);
              return (
                <li key={c.id} class={`check-item result-${v?.result ?? 'none'}`} data-item-id={c.id}>
                  <div class="check-title">
                    <b>{c.label}</b> {c.title}
                  </div>
                  <div class="segmented" role="radiogroup">
                    {RESULTS.map((r) => (
                      <button key={r} type="button" role="radio" aria-checked={v?.result === r} class={v?.result === r ? `on ${r}` : r} onClick={() => setResult(c.id, { result: r })}>
                        {RESULT_LABEL[r]}
                      </button>
                    ))}
                  </div>
                  {(v?.result === 'finding' || v?.note) && (
                    <input class="note" placeholder="情况说明" value={v?.note ?? ''} onInput={(e) => setResult(c.id, { note: e.currentTarget.value })} />
                  )}
                  {editable && (
                    <label class="photo-input">
                      拍照 <input type="file" accept="image/jpeg,image/png,image/webp" capture="environment" multiple onChange={(e) => upload(e.currentTarget.files, c.id)} />
                    </label>
                  )}
                  {photos.length > 0 && <span class="muted"> 照片 {photos.length} 张</span>}
                </li>
              );
            })}
          </ol>
          <label class="field">
            检查情况 <textarea name="summary" rows={3} value={summary} onInput={(e) => setSummary(e.currentTarget.value)} />
          </label>
          {editable && (
            <div class="form-buttons sticky-save">
              <button type="submit">保存检查记录</button>
            </div>
          )}
        </fieldset>
      </form>
      <InspectionFollowUp inspection={insp} busy={busy} regulator={regulator} act={act} />
    </section>
  );
}

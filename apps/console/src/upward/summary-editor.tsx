// 半年工作总结: the six sections with the period's figures and a narrative each; drafts are saved,
// the final version is frozen with its figures (the api answers 409 to any change after it).
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime } from '../shared/format';
import { useBusyAction } from '../shared/busy-action';
import { useConsole } from '../shell/console.service';
import { saveDownload } from './download';
import { halfYears } from './half-years';
import { type SectionKey, type WorkSummary } from './upward.types';

export function SummaryEditor({ regionCode }: { regionCode: string }) {
  const { http } = useConsole();
  const periods = halfYears();
  const { busy, error, run } = useBusyAction();
  const [period, setPeriod] = useState(periods[0]?.from ?? '');
  const [summary, setSummary] = useState<WorkSummary | null>(null);
  const [text, setText] = useState<Partial<Record<SectionKey, string>>>({});
  const [saved, setSaved] = useState<string | null>(null);

  const load = (s: WorkSummary) => {
    setSummary(s);
    setText(Object.fromEntries(s.sections.map((x) => [x.key, x.narrative])));
  };
  useEffect(() => {
    setSummary(null);
    setSaved(null);
    const p = periods.find((x) => x.from === period);
    if (!p) return;
    void run(async () => load(await http.post<WorkSummary>('/upward/summaries', { from: p.from, to: p.to, ...(regionCode && { regionCode }) })));
  }, [http, period, regionCode]);

  const final = summary?.status === 'final';
  const save = () =>
    run(async () => {
      if (!summary) return;
      load(await http.request<WorkSummary>('PUT', `/upward/summaries/${summary.id}/narratives`, { narratives: text, revision: summary.revision }));
      setSaved(`草稿已保存（${formatDateTime(new Date().toISOString())}）`);
    });
  const finalize = () =>
    run(async () => {
      if (!summary || !confirm('定稿后总结的数字和文字将封存，不能再修改。确定定稿？')) return;
      const current = await http.request<WorkSummary>('PUT', `/upward/summaries/${summary.id}/narratives`, { narratives: text, revision: summary.revision });
      load(await http.post<WorkSummary>(`/upward/summaries/${summary.id}/finalize`, { revision: current.revision }));
    });

  return (
    <div class="card upward-card summary-editor">
      <h3>
        半年工作总结{' '}
        <select value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
          {periods.map((p) => (
            <option key={p.from} value={p.from}>{p.label}</option>
          ))}
        </select>{' '}
        {summary && <span class={`pill ${final ? 'stage-closed' : 'stage-disposed'}`}>{final ? `已定稿 · ${summary.finalizedBy ?? ''} ${formatDateTime(summary.finalizedAt)}` : `草稿 第 ${summary.revision} 稿`}</span>}
      </h3>
      {error && <p class="error" role="alert">{error}</p>}
      {!summary && !error && <p class="muted">加载中…</p>}
      {summary && (
        <>
          <div class="action-buttons">
            <button type="button" disabled={busy || final} onClick={() => void save()}>保存草稿</button>
            <button type="button" class="primary" disabled={busy || final} onClick={() => void finalize()}>定稿</button>
            <button type="button" onClick={() => void run(() => saveDownload(http, `/upward/summaries/${summary.id}/document`, { format: 'docx' }))}>下载 Word</button>
            <button type="button" onClick={() => void run(() => saveDownload(http, `/upward/summaries/${summary.id}/document`, { format: 'pdf' }))}>下载 PDF</button>
            {saved && <span class="muted small">{saved}</span>}
          </div>
          {summary.sections.map((s) => (
            <section key={s.key} class="summary-section" data-section={s.key}>
              <h4>{s.title} <span class="muted small">{s.basis}</span></h4>
              {s.rows.length > 0 && (
                <table class="list compact figures">
                  <tbody>
                    {s.rows.map(([k, v]) => (
                      <tr key={k}><th>{k}</th><td>{v}</td></tr>
                    ))}
                  </tbody>
                </table>
              )}
              {s.note && <p class="muted small">{s.note}</p>}
              <textarea
                rows={4}
                value={text[s.key] ?? ''}
                disabled={final}
                placeholder={final ? '' : '填写本项工作的开展情况、成效和问题…'}
                onInput={(e) => setText({ ...text, [s.key]: e.currentTarget.value })}
              />
            </section>
          ))}
        </>
      )}
    </div>
  );
}

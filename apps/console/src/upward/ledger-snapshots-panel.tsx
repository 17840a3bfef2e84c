// 台账报送: freeze the region's ledger as of a day, see what changed since the last submission,
// download the city bureau's XLSX and submit it (who, when and the file's SHA-256 are recorded).
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, shanghaiToday } from '../shared/format';
import { useBusyAction } from '../shared/busy-action';
import { useConsole } from '../shell/console.service';
import { saveDownload } from './download';
import type { LedgerDiff, LedgerSnapshot, LedgerSnapshotSummary } from './upward.types';

export function LedgerSnapshotsPanel({ regionCode }: { regionCode: string }) {
  const { http } = useConsole();
  const { busy, error, setError, run } = useBusyAction();
  const [asOf, setAsOf] = useState(shanghaiToday());
  const [list, setList] = useState<LedgerSnapshotSummary[] | null>(null);
  const [open, setOpen] = useState<LedgerSnapshot | null>(null);
  const query = regionCode ? { regionCode } : undefined;

  const reload = () => http.get<LedgerSnapshotSummary[]>('/upward/ledger-snapshots', query).then(setList, (err: Error) => setError(err.message));
  useEffect(() => {
    setOpen(null);
    void reload();
  }, [http, regionCode]);

  const freeze = () => run(async () => {
    setOpen(await http.post<LedgerSnapshot>('/upward/ledger-snapshots', { asOf, ...(regionCode && { regionCode }) }));
    await reload();
  });
  const show = (id: string) => run(async () => setOpen(await http.get<LedgerSnapshot>(`/upward/ledger-snapshots/${id}`)));
  const submit = (s: LedgerSnapshotSummary) =>
    run(async () => {
      if (!confirm(`报送截至 ${s.asOf} 的企业台账（${s.enterprises} 家）？报送后不可更改。`)) return;
      setOpen(await http.post<LedgerSnapshot>(`/upward/ledger-snapshots/${s.id}/submit`));
      await reload();
    });

  return (
    <div class="card upward-card">
      <h3>半年企业台账报送</h3>
      <div class="action-buttons">
        <label class="filter">
          台账截至 <input type="date" value={asOf} max={shanghaiToday()} onChange={(e) => e.currentTarget.value && setAsOf(e.currentTarget.value)} />
        </label>
        <button type="button" class="primary" disabled={busy} onClick={() => void freeze()}>冻结台账</button>
        <span class="muted small">冻结后的台账不可更改；变更情况与上次报送比较。</span>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {list && list.length === 0 && <p class="muted">尚无台账快照。</p>}
      {list && list.length > 0 && (
        <table class="list compact snapshots">
          <thead>
            <tr><th>截至日期</th><th>区域</th><th>企业数</th><th>新增</th><th>关停</th><th>移出</th><th>变更</th><th>冻结</th><th>报送</th><th /></tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} class={open?.id === s.id ? 'selected' : undefined}>
                <td>{s.asOf}</td>
                <td>{s.regionCode}</td>
                <td>{s.enterprises}</td>
                <td>{s.counts.added}</td>
                <td>{s.counts.closed}</td>
                <td>{s.counts.removed}</td>
                <td>{s.counts.changed}</td>
                <td class="small">{s.createdBy}<br />{formatDateTime(s.createdAt)}</td>
                <td class="small">
                  {s.submission ? (
                    <span title={`SHA-256 ${s.submission.sha256}`}>
                      已报送 · {s.submission.submittedBy}<br />{formatDateTime(s.submission.submittedAt)} · {s.submission.sha256.slice(0, 12)}…
                    </span>
                  ) : (
                    <button type="button" disabled={busy} onClick={() => void submit(s)}>报送市局</button>
                  )}
                </td>
                <td class="small">
                  <button type="button" class="ghost" onClick={() => void show(s.id)}>变更情况</button>
                  <button type="button" class="ghost" onClick={() => void run(() => saveDownload(http, `/upward/ledger-snapshots/${s.id}/export`))}>下载 Excel</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <DiffView snapshot={open} />}
    </div>
  );
}

function DiffView({ snapshot }: { snapshot: LedgerSnapshot }) {
  const d: LedgerDiff = snapshot.diff;
  const base = d.previous ? `与 ${d.previous.asOf} 报送的台账相比` : '首次报送：全部企业为新增';
  return (
    <div class="diff" data-diff={snapshot.id}>
      <h4>截至 {snapshot.asOf} 的变更情况 <span class="muted small">（{base}）</span></h4>
      <DiffList title="新增企业" items={d.added.map((e) => [e.name, e.uscc, e.regionCode, ''])} />
      <DiffList title="关停企业" items={d.closed.map((e) => [e.name, e.uscc, e.regionCode, `关停日期 ${e.statusSince ?? '不详'}`])} />
      <DiffList title="移出本区域" items={d.removed.map((e) => [e.name, e.uscc, e.regionCode, ''])} />
      <h5>信息变更（{d.changed.length} 家）</h5>
      {d.changed.length === 0 ? (
        <p class="muted small">无</p>
      ) : (
        <table class="list compact">
          <thead>
            <tr><th>企业名称</th><th>统一社会信用代码</th><th>变更项</th><th>原值</th><th>新值</th></tr>
          </thead>
          <tbody>
            {d.changed.flatMap((e) =>
              e.fields.map((f, i) => (
                <tr key={`${e.id}-${f.field}`}>
                  <td>{i === 0 ? e.name : ''}</td>
                  <td>{i === 0 ? e.uscc : ''}</td>
                  <td>{f.label}</td>
                  <td class="old">{f.old || '（空）'}</td>
                  <td class="new">{f.new || '（空）'}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
    </div>
  );
}

function DiffList({ title, items }: { title: string; items: [string, string, string, string][] }) {
  return (
    <>
      <h5>{title}（{items.length} 家）</h5>
      {items.length === 0 ? (
        <p class="muted small">无</p>
      ) : (
        <ul class="plain">
          {items.map(([name, uscc, region, extra]) => (
            <li key={uscc}>
              {name} <span class="muted small">{uscc} · {region}{extra && ` · ${extra}`}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

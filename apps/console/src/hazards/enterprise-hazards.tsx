// On the enterprise page (issue 12): its open hazards, and its 内部公示 posting link with the QR code
// for the plant's notice board (create, replace, revoke — regulators in scope and the enterprise's own users).
import { useEffect, useState } from 'preact/hooks';
import type { Hazard, Page, PostingLink } from '../api/api.types';
import { ApiError } from '../api/http.client';
import { formatDateTime } from '../shared/format';
import { HAZARD_SOURCE_LABEL } from '../shared/labels';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { StatusPill } from './hazard-bits';
import { refusalText } from './hazard-refusal';

export const OPEN_STATUSES = 'reported,confirmed,rectifying,submitted';

export function EnterpriseHazards({ enterpriseId }: { enterpriseId: string }) {
  const { http } = useConsole();
  const [page, setPage] = useState<Page<Hazard> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    http.get<Page<Hazard>>('/hazards', { enterpriseId, status: OPEN_STATUSES, pageSize: 50 }).then(setPage, (err: unknown) => setError(refusalText(err)));
  }, [http, enterpriseId]);
  return (
    <div class="enterprise-hazards">
      <h3>
        未销号的重大事故隐患 {page && <span class="muted" data-open-hazards={page.total}>（{page.total}）</span>}{' '}
        <Link href={`/hazards?enterpriseId=${enterpriseId}`} class="small">全部隐患</Link>{' '}
        <Link href={`/hazards/new?enterpriseId=${enterpriseId}`} class="small">登记隐患</Link>
      </h3>
      {error && <p class="error">{error}</p>}
      {page && page.items.length > 0 && (
        <ul class="hazard-list">
          {page.items.map((h) => (
            <li key={h.id} class="hazard-row" data-hazard-id={h.id}>
              <Link href={`/hazards/${h.id}`}>{h.description}</Link>
              <span class="muted small">
                {h.basis?.label} · {HAZARD_SOURCE_LABEL[h.source]} · 登记 {formatDateTime(h.reportedAt)}
                {h.deadline && ` · 期限 ${formatDateTime(h.deadline)}`}
              </span>{' '}
              <StatusPill hazard={h} />
            </li>
          ))}
        </ul>
      )}
      {page?.items.length === 0 && <p class="muted">没有未销号的重大事故隐患</p>}
    </div>
  );
}

export function PostingLinkCard({ enterpriseId }: { enterpriseId: string }) {
  const { http } = useConsole();
  const [link, setLink] = useState<PostingLink | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // 204 (null) when the enterprise has no live link
    http.get<PostingLink | null>(`/enterprises/${enterpriseId}/posting-link`).then(setLink, (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) setLink(null);
      else setError(refusalText(err));
    });
  }, [http, enterpriseId]);

  const act = async (fn: () => Promise<PostingLink | null>) => {
    setBusy(true);
    setError(null);
    try {
      setLink(await fn());
    } catch (err) {
      setError(refusalText(err));
    } finally {
      setBusy(false);
    }
  };
  const create = () => act(() => http.post<PostingLink>(`/enterprises/${enterpriseId}/posting-link`));
  const revoke = () => {
    if (!confirm('撤销后原链接和二维码立即失效，确定撤销？')) return;
    void act(async () => (await http.delete(`/enterprises/${enterpriseId}/posting-link`), null));
  };

  return (
    <div class="card posting-link" data-posting={link ? 'live' : 'none'}>
      <h3>内部公示</h3>
      <p class="muted small">公示页无需登录，列出本企业重大事故隐患的排查、整改和销号情况，供厂内公告栏张贴；链接可随时撤销。</p>
      {link === undefined && !error && <p class="muted">加载中…</p>}
      {link && (
        <div class="posting-body">
          <img class="posting-qr" src={link.qrSvg} alt="内部公示二维码" width={160} height={160} />
          <div>
            <p>
              <a class="posting-url" href={link.url} target="_blank" rel="noopener">{link.url}</a>
            </p>
            <p class="muted small">生成于 {formatDateTime(link.createdAt)}</p>
            <p class="action-buttons">
              <a class="button" href={link.qrPng} download="内部公示二维码.png">下载二维码</a>
              <button type="button" data-action="posting-renew" disabled={busy} onClick={() => void create()}>重新生成</button>
              <button type="button" data-action="posting-revoke" disabled={busy} onClick={revoke}>撤销</button>
            </p>
          </div>
        </div>
      )}
      {link === null && (
        <button type="button" class="primary" data-action="posting-create" disabled={busy} onClick={() => void create()}>
          生成公示链接和二维码
        </button>
      )}
      {error && <p class="error" role="alert">操作失败：{error}</p>}
    </div>
  );
}

// The uplink to the provincial platform (上报) at a glance: GET /uplink/status every 10 s — state,
// backlog by kind, lag, last success and last failure. Self-contained, for the 上报 page.
import { useEffect, useState } from 'preact/hooks';
import type { UplinkStatus } from '../api/api.types';
import { formatDateTime } from '../shared/format';
import { useConsole } from '../shell/console.service';
import { formatLag, UPLINK_STATE_LABEL, UPLINK_TYPE_LABEL, uplinkState } from './uplink-view';

export function UplinkStatusCard({ refreshMs = 10_000 }: { refreshMs?: number }) {
  const { http } = useConsole();
  const [status, setStatus] = useState<UplinkStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () =>
      http.get<UplinkStatus>('/uplink/status').then(
        (s) => alive && (setStatus(s), setError(null)),
        (err: Error) => alive && setError(err.message),
      );
    void load();
    const timer = setInterval(() => void load(), refreshMs);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [http, refreshMs]);

  const state = status ? uplinkState(status) : null;
  return (
    <section class="uplink-status" aria-label="省级平台上报状态">
      <h3>
        省级平台上报 {state && <span class={`uplink-state uplink-${state}`}>{UPLINK_STATE_LABEL[state]}</span>}
      </h3>
      {error && <p class="error" role="alert">{error}</p>}
      {status && !status.enabled && <p class="muted">未配置省级平台地址（UPLINK_ENDPOINT），数据不上报。</p>}
      {status?.enabled && (
        <>
          <div class="kpi-cards">
            <div class="kpi-card"><span>积压</span><b>{status.backlog} 条</b><span class="muted">{status.enterprisesBehind} 家企业待上报</span></div>
            <div class="kpi-card"><span>延迟</span><b>{formatLag(status.lagSeconds)}</b><span class="muted">最早待上报：{formatDateTime(status.oldestPendingAt)}</span></div>
            <div class="kpi-card"><span>最近成功</span><b>{status.lastSuccessAt ? formatDateTime(status.lastSuccessAt) : '尚无'}</b><span class="muted">近 1 小时 {status.deliveredLastHour} 条</span></div>
          </div>
          {status.backlog > 0 && (
            <p class="muted">
              {Object.entries(status.backlogByType)
                .filter(([, n]) => n > 0)
                .map(([type, n]) => `${UPLINK_TYPE_LABEL[type as keyof UplinkStatus['backlogByType']]} ${n} 条`)
                .join(' · ')}
            </p>
          )}
          {status.lastFailureAt && (
            <p class={state === 'failing' ? 'error' : 'muted'}>
              最近失败：{formatDateTime(status.lastFailureAt)} · {status.lastError ?? ''} · 累计失败 {status.failures} 次
            </p>
          )}
          <p class="muted">接口：{status.endpoint}（{status.adapter}）</p>
        </>
      )}
    </section>
  );
}

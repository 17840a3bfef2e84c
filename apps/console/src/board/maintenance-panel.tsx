// 检修 on the board (issue 14): every running window — a mandatory point's marked, because a
// monitor switched off on a required point is itself a major hazard (判定标准 第十四条) — and the
// requests waiting for a regulator, who approves or rejects them here.
import { useEffect, useState } from 'preact/hooks';
import type { MaintenanceRecord } from '../api/api.types';
import { formatShort } from '../shared/format';
import { districtName } from '../shared/labels';
import { useConsole } from '../shell/console.service';

const REFRESH_MS = 30_000;

export function MaintenancePanel() {
  const { http, session } = useConsole();
  const [active, setActive] = useState<MaintenanceRecord[]>([]);
  const [pending, setPending] = useState<MaintenanceRecord[]>([]);
  const [error, setError] = useState<string | null>(null);
  const regulator = session.role !== 'enterprise';

  const load = async () => {
    try {
      const [a, p] = await Promise.all([http.get<MaintenanceRecord[]>('/maintenance-requests', { active: 'true' }), http.get<MaintenanceRecord[]>('/maintenance-requests', { status: 'pending' })]);
      setActive(a);
      setPending(p);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [http]);

  const decide = async (r: MaintenanceRecord, approve: boolean) => {
    const note = approve ? null : window.prompt(`驳回 ${r.enterpriseName} ${r.pointCode} 的检修申请，原因：`);
    if (!approve && !note) return;
    try {
      await http.post(`/maintenance-requests/${r.id}/${approve ? 'approve' : 'reject'}`, approve ? {} : { note });
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  };

  if (active.length === 0 && pending.length === 0 && !error) return null;
  return (
    <div class="maintenance-panel card">
      {active.length > 0 && (
        <>
          <h3>检修中的监测点（{active.length}）</h3>
          <ul class="plain">
            {active.map((r) => (
              <li key={r.id} class={r.mandatory ? 'mandatory' : undefined}>
                {r.mandatory && <span class="badge hazard" title="必选监测点停用检修期间视同监测失效，请关注">必选监测点·已屏蔽</span>} {r.enterpriseName}（{districtName(r.regionCode)}） {r.pointCode} {r.pointName}
                <span class="muted"> · 至 {formatShort(r.windowEnd)} · {r.kind === 'request' ? `${r.requestedByName} 申请，${r.decidedByName ?? ''} 批准` : `${r.requestedByName} 直接检修`} · {r.reason}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {pending.length > 0 && (
        <>
          <h3>待审批的检修申请（{pending.length}）</h3>
          <ul class="plain">
            {pending.map((r) => (
              <li key={r.id}>
                {r.enterpriseName} {r.pointCode} {r.pointName} <span class="muted">· {r.minutes} 分钟 · {r.reason} · {r.requestedByName} {formatShort(r.requestedAt)} 申请（批准前不屏蔽）</span>
                {regulator && (
                  <span class="actions">
                    <button type="button" onClick={() => void decide(r, true)}>批准</button>
                    <button type="button" class="secondary" onClick={() => void decide(r, false)}>驳回</button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {error && <p class="error">检修信息加载失败：{error}</p>}
    </div>
  );
}

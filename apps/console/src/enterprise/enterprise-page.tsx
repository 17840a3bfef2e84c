// Enterprise page (issue 7): gateways and points with live values and status, recent alarms; the
// 基础信息台账 grouped and the personnel changes (issue 20).
// Also the enterprise safety officer's home, on a phone.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Alarm } from '../api/api.types';
import { AlarmRow } from '../board/alarm-row';
import { CATEGORY_LABEL } from '../shared/labels';
import { useObservable, useWatch } from '../shared/observable';
import { useConsole } from '../shell/console.service';
import { type EnterpriseData, loadEnterprise } from './enterprise-data';
import { GatewayCard } from './gateway-card';
import { LedgerCard } from './ledger-card';
import { PersonnelCard } from './personnel-card';

export function EnterprisePage({ id }: { id: string }) {
  const { http, feed, board, readings } = useConsole();
  const [data, setData] = useState<EnterpriseData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const live = useObservable(readings);
  const alarms = useWatch(board, () => board.list());

  useEffect(() => {
    let pointIds: string[] = [];
    let gone = false;
    loadEnterprise(http, id).then(
      (d) => {
        if (gone) return;
        board.merge(d.recent);
        setData(d);
        pointIds = d.gateways.flatMap((g) => g.points.map((p) => p.id));
        feed.follow(pointIds);
      },
      (err: Error) => setError(err.message),
    );
    return () => {
      gone = true;
      feed.unfollow(pointIds);
    };
  }, [http, feed, board, id, version]);

  const own = useMemo(() => alarms.filter((a) => a.enterpriseId === id), [alarms, id]);
  const activeByPoint = useMemo(() => {
    const m = new Map<string, Alarm>();
    for (const a of own) if (a.pointId && a.condition === 'active' && a.stage !== 'closed' && !m.has(a.pointId)) m.set(a.pointId, a);
    return m;
  }, [own]);

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!data) return <p class="muted">加载中…</p>;
  const e = data.enterprise;
  return (
    <section class="enterprise">
      <h2>
        {e.name} <span class="muted">{e.regionCode} · {e.riskCategories.map((c) => CATEGORY_LABEL[c]).join('、')}</span>
      </h2>
      <div class="gateways">
        {data.gateways.map((g) => (
          <GatewayCard key={g.id} gateway={g} live={live} alarmOf={(pid) => activeByPoint.get(pid)} />
        ))}
        {data.gateways.length === 0 && <p class="muted">尚未接入网关</p>}
      </div>
      <h3>基础信息台账</h3>
      <LedgerCard enterprise={e} />
      <PersonnelCard enterprise={e} onChanged={() => setVersion((v) => v + 1)} />
      <h3>近期报警</h3>
      <table class="alarm-table compact">
        <tbody>
          {own.slice(0, 20).map((a) => (
            <AlarmRow key={a.id} alarm={a} enterprise={e} />
          ))}
        </tbody>
      </table>
      {own.length === 0 && <p class="muted">暂无报警</p>}
    </section>
  );
}

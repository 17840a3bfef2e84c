// Enterprise page (issue 7): gateways and points with live values and status, recent alarms; the
// 基础信息台账 grouped and the personnel changes (issue 20).
// Its open major hazards and the 内部公示 posting link with its QR code (issue 12).
// Also the enterprise safety officer's home, on a phone.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Alarm } from '../api/api.types';
import { AlarmRow } from '../board/alarm-row';
import { EnterpriseHazards, PostingLinkCard } from '../hazards/enterprise-hazards';
import { CATEGORY_LABEL, districtText } from '../shared/labels';
import { useObservable, useWatch } from '../shared/observable';
import { useConsole } from '../shell/console.service';
import { type EnterpriseData, loadEnterprise, mandatoryText, templateGatewayOf } from './enterprise-data';
import { EnterpriseInspections } from './enterprise-inspections';
import { GatewayCard } from './gateway-card';
import { LedgerCard } from './ledger-card';
import { PersonnelCard } from './personnel-card';
import { RiskGradeCard } from './risk-grade-card';

export function EnterprisePage({ id }: { id: string }) {
  const { http, feed, board, readings, session } = useConsole();
  const [data, setData] = useState<EnterpriseData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState(false);
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
  const m = e.mandatoryConnected;
  const target = templateGatewayOf(data.gateways);
  const offer = session.role !== 'enterprise' && m !== undefined && m.registered < m.required;
  const createSet = () => {
    if (!target) return;
    setCreating(true);
    http.post(`/enterprises/${id}/template-points`, { gatewayId: target.id }).then(
      () => {
        setCreating(false);
        setVersion((v) => v + 1);
      },
      (err: Error) => {
        setCreating(false);
        setError(err.message);
      },
    );
  };
  return (
    <section class="enterprise">
      <h2>
        {e.name} <span class="muted">{districtText(e.regionCode)} · {e.riskCategories.map((c) => CATEGORY_LABEL[c]).join('、')}</span>
        {mandatoryText(m) && <span class={`pill ${m && m.connected === m.required ? 'online' : 'offline'} mandatory-count`}>{mandatoryText(m)}</span>}
      </h2>
      {offer && (
        <p class="mandatory-offer">
          {target ? (
            <button type="button" disabled={creating} onClick={createSet}>
              在网关 {target.code} 上创建缺少的必选监测点
            </button>
          ) : (
            <span class="muted">先登记一个 MQTT 网关，再创建必选监测点</span>
          )}
        </p>
      )}
      <RiskGradeCard enterpriseId={id} />
      <div class="gateways">
        {data.gateways.map((g) => (
          <GatewayCard key={g.id} gateway={g} live={live} alarmOf={(pid) => activeByPoint.get(pid)} />
        ))}
        {data.gateways.length === 0 && <p class="muted">尚未接入网关</p>}
      </div>
      <EnterpriseHazards enterpriseId={id} />
      <PostingLinkCard enterpriseId={id} />
      <h3>基础信息台账</h3>
      <LedgerCard enterprise={e} />
      <PersonnelCard enterprise={e} onChanged={() => setVersion((v) => v + 1)} />
      <EnterpriseInspections enterpriseId={e.id} />
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

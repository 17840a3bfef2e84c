// One gateway and its points with live values (readings channel) and status.
import type { Alarm, Point, ReadingFrame, Tier } from '../api/api.types';
import { effectiveThresholds, pointTypeLabel, setpointsOf, tierOfValue } from '../alarm/point-thresholds';
import { formatShort, formatValue } from '../shared/format';
import { tierText } from '../shared/labels';
import { Link } from '../shell/link';
import { type GatewayWithPoints, isPointOnline } from './enterprise-data';

interface Props {
  gateway: GatewayWithPoints;
  live: ReadonlyMap<string, ReadingFrame>;
  /** the point's active alarm, if any */
  alarmOf(pointId: string): Alarm | undefined;
}

export function GatewayCard({ gateway: g, live, alarmOf }: Props) {
  return (
    <div class="gateway card">
      <h3>
        网关 {g.code} <span class="muted">{g.protocol === 'mqtt' ? 'MQTT' : 'Modbus TCP'}</span>
        <span class={`pill ${g.online ? 'online' : 'offline'}`}>{g.online ? '在线' : '离线'}</span>
        <span class="muted small">最后通信 {formatShort(g.lastSeenAt)}</span>
      </h3>
      <table class="points">
        <thead>
          <tr>
            <th>测点</th>
            <th class="c-type">类型</th>
            <th>实时值</th>
            <th class="c-time">时间</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {g.points.map((p) => (
            <PointRow key={p.id} point={p} reading={live.get(p.id)} alarm={alarmOf(p.id)} />
          ))}
        </tbody>
      </table>
      {g.points.length === 0 && <p class="muted">尚未登记测点</p>}
    </div>
  );
}

function PointRow({ point: p, reading, alarm }: { point: Point; reading: ReadingFrame | undefined; alarm: Alarm | undefined }) {
  const lastAt = reading?.ts ?? p.lastSeenAt;
  const valueTier: Tier | null = reading ? tierOfValue(reading.value, setpointsOf(effectiveThresholds(p))) : null;
  const maintenance = p.maintenanceUntil && Date.parse(p.maintenanceUntil) > Date.now();
  return (
    <tr data-point-id={p.id} class={valueTier ? `value-tier-${valueTier}` : undefined}>
      <td>
        <b>{p.code}</b> {p.name}
        {p.mandatory && <span class="pill mandatory">必接</span>}
        {p.missingContext && (
          <span class="pill offline" title="网关未登记工况信号（铸造进行中/设备运行），该监测点的报警规则不按工况判断">
            未接入工况信号
          </span>
        )}
      </td>
      <td class="c-type">{pointTypeLabel(p.type)}</td>
      <td class="live-value" data-value={reading?.value}>
        {reading ? formatValue(reading.value, p.unit) : '—'}
        {reading?.quality === 'bad' && <span class="pill offline">质量异常</span>}
      </td>
      <td class="muted c-time">{formatShort(lastAt)}</td>
      <td>
        {maintenance && <span class="pill shelved">检修中</span>}
        {alarm ? (
          <Link href={`/alarms/${alarm.id}`} class={`tier-badge tier-${alarm.tier}`}>
            {tierText(alarm.tier)}报警
          </Link>
        ) : (
          <span class={`pill ${isPointOnline(lastAt, p.expectedIntervalS) ? 'online' : 'offline'}`}>{isPointOnline(lastAt, p.expectedIntervalS) ? '正常' : '无数据'}</span>
        )}
      </td>
    </tr>
  );
}

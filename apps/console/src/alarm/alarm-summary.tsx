import type { AlarmDetail, Enterprise, Point } from '../api/api.types';
import { formatDateTime, formatValue } from '../shared/format';
import { CONDITION_LABEL, districtName, KIND_LABEL, STAGE_LABEL, tierText } from '../shared/labels';
import { Link } from '../shell/link';
import { pointTypeLabel } from './point-thresholds';

interface Props {
  alarm: AlarmDetail;
  enterprise: Enterprise | undefined;
  point: Point | null;
}

export function AlarmSummary({ alarm: a, enterprise, point }: Props) {
  const rows: [string, string | null][] = [
    ['企业', null],
    ['监测点', point ? `${point.code} ${point.name}（${pointTypeLabel(point.type)}）` : (a.pointCode ?? '网关')],
    ['类型', KIND_LABEL[a.kind]],
    ['当前值 / 峰值', `${formatValue(a.value, a.unit)} / ${formatValue(a.peakValue, a.unit)}（最高 ${tierText(a.peakTier)}）`],
    ['报警时间', formatDateTime(a.raisedAt)],
    ['恢复时间', formatDateTime(a.clearedAt)],
    ['确认时间', formatDateTime(a.ackedAt)],
    ['处置时间', formatDateTime(a.disposedAt)],
    ['关闭时间', formatDateTime(a.closedAt)],
  ];
  if (a.escalationLevel > 0) rows.push(['升级', `已升级 ${a.escalationLevel} 次`]);
  if (a.shelvedUntil) rows.push(['搁置至', formatDateTime(a.shelvedUntil)]);
  return (
    <div class={`summary tier-${a.tier}`}>
      <div class="summary-head">
        <span class={`tier-badge tier-${a.tier}`}>{tierText(a.tier)}</span>
        <h2>{a.message}</h2>
      </div>
      <div class="pills">
        <span class={`pill ${a.condition}`}>{CONDITION_LABEL[a.condition]}</span>
        <span class={`pill ${a.acknowledged ? 'acked' : 'unacked'}`} data-acked={String(a.acknowledged)}>{a.acknowledged ? '已确认' : '未确认'}</span>
        <span class={`pill stage-${a.stage}`} data-stage={a.stage}>{STAGE_LABEL[a.stage]}</span>
        {a.suppressed && <span class="pill shelved">检修屏蔽</span>}
      </div>
      <dl class="facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{k === '企业' ? <Link href={`/enterprises/${a.enterpriseId}`}>{enterprise ? `${enterprise.name}（${districtName(enterprise.regionCode)}）` : '查看企业'}</Link> : v}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

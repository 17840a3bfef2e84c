import type { Alarm, Enterprise } from '../api/api.types';
import { isUnhandledRed } from '../live/alarm-board.store';
import { formatShort, formatValue } from '../shared/format';
import { CONDITION_LABEL, districtName, KIND_LABEL, STAGE_LABEL, tierText } from '../shared/labels';
import { navigate } from '../shell/router';

interface Props {
  alarm: Alarm;
  enterprise: Enterprise | undefined;
}

/** One alarm on the board: a table row on the duty-room screen, a card on a phone (CSS). */
export function AlarmRow({ alarm: a, enterprise }: Props) {
  const open = () => navigate(`/alarms/${a.id}`);
  const classes = ['alarm-row', `tier-${a.tier}`, a.condition, a.stage, a.acknowledged ? 'acked' : 'unacked', isUnhandledRed(a) ? 'flash' : ''];
  return (
    <tr class={classes.join(' ')} data-alarm-id={a.id} data-seq={a.seq} onClick={open} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && open()}>
      <td class="c-tier">
        <span class={`tier-badge tier-${a.tier}`}>{tierText(a.tier)}</span>
      </td>
      <td class="c-time">{formatShort(a.raisedAt)}</td>
      <td class="c-enterprise">
        <span class="enterprise-name">{enterprise?.name ?? '…'}</span>
        <span class="muted district">{enterprise ? districtName(enterprise.regionCode) : ''}</span>
      </td>
      <td class="c-point">
        {a.pointCode ?? '网关'}
        <span class="muted"> {KIND_LABEL[a.kind]}</span>
      </td>
      <td class="c-message">{a.message}</td>
      <td class="c-value">{formatValue(a.value, a.unit)}</td>
      <td class="c-state">
        <span class={`pill ${a.condition}`}>{CONDITION_LABEL[a.condition]}</span>
        <span class={`pill ${a.acknowledged ? 'acked' : 'unacked'}`} data-acked={String(a.acknowledged)}>
          {a.acknowledged ? '已确认' : '未确认'}
        </span>
        <span class={`pill stage-${a.stage}`}>{STAGE_LABEL[a.stage]}</span>
        {a.shelvedUntil && <span class="pill shelved">已搁置</span>}
        {a.suppressed && <span class="pill shelved">检修屏蔽</span>}
      </td>
    </tr>
  );
}

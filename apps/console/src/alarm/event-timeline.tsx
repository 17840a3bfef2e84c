// The alarm's events in order, notifications included (docs/contracts.md §3 event objects).
import type { AlarmEvent, DisposalCause, Tier } from '../api/api.types';
import { formatDateTime } from '../shared/format';
import { CAUSE_LABEL, CHANNEL_LABEL, EVENT_LABEL, OUTCOME_LABEL, roleText, TIER_LABEL } from '../shared/labels';

export function EventTimeline({ events }: { events: AlarmEvent[] }) {
  return (
    <ol class="timeline">
      {[...events].reverse().map((e) => (
        <li key={e.seq} class={`event event-${e.event}`} data-event={e.event}>
          <span class="event-time">{formatDateTime(e.at)}</span>
          <span class="event-name">{EVENT_LABEL[e.event] ?? e.event}</span>
          <span class="event-actor">{e.actor ? `${e.actor.username}（${roleText(e.actor.role)}）` : '系统'}</span>
          <span class="event-detail">{describe(e)}</span>
        </li>
      ))}
    </ol>
  );
}

// libs/rules ConditionCause, as the alarm message words it
const CONDITION_CAUSE: Record<string, string> = { high: '高于上限', low: '低于下限', rise: '突升', drop: '突降', no_data: '超时无数据', bad_quality: '数据质量异常', out_of_range: '超出量程', stuck: '数值长时间不变' };

function describe(e: AlarmEvent): string {
  const d = e.data;
  const s = (k: string) => (typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : '');
  const parts: string[] = [];
  switch (e.event) {
    case 'raised':
    case 'reactivated':
      if (s('tier')) parts.push(TIER_LABEL[s('tier') as Tier] ?? s('tier'));
      if (s('cause')) parts.push(CONDITION_CAUSE[s('cause')] ?? s('cause'));
      break;
    case 'tier_changed':
      parts.push(`${TIER_LABEL[s('from') as Tier] ?? s('from')} → ${TIER_LABEL[s('to') as Tier] ?? s('to')}`);
      break;
    case 'disposed':
      if (s('cause')) parts.push(`原因：${CAUSE_LABEL[s('cause') as DisposalCause] ?? s('cause')}`);
      if (s('measures')) parts.push(`措施：${s('measures')}`);
      break;
    case 'shelved':
      if (s('minutes')) parts.push(`${s('minutes')} 分钟`);
      if (s('reason')) parts.push(`理由：${s('reason')}`);
      break;
    case 'notified':
      parts.push([CHANNEL_LABEL[s('channel')] ?? s('channel'), s('recipient'), OUTCOME_LABEL[s('outcome')] ?? s('outcome')].filter(Boolean).join(' · '));
      if (s('reason')) parts.push(s('reason'));
      break;
    case 'escalated':
      if (s('level')) parts.push(`第 ${s('level')} 级`);
      break;
    // these show only their value, comment or text (below)
    case 'cleared':
    case 'acknowledged':
    case 'closed':
    case 'unshelved':
    case 'suppressed':
    case 'unsuppressed':
    case 'commented':
      break;
  }
  if (s('value')) parts.push(`数值 ${s('value')}`);
  for (const key of ['comment', 'text']) if (s(key)) parts.push(s(key));
  return parts.join('；');
}

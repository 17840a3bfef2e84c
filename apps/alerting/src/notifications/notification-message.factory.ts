import { TIER_LABELS_ZH, type AlarmSnapshot } from '@sw/rules';

/** What a message says besides the alarm snapshot (from the registry, at the time of the event). */
export interface MessageContext {
  enterpriseName: string;
  pointName: string | null;
  pointLocation: string | null;
  consoleBaseUrl: string;
}

export type MessageOccasion = 'raised' | 'reactivated' | 'tier_changed' | 'escalated' | 'repeat';

const OCCASION_ZH: Record<MessageOccasion, string> = {
  raised: '报警',
  reactivated: '报警再次触发',
  tier_changed: '报警升级',
  escalated: '未确认升级通知',
  repeat: '未确认重复提醒',
};

/** `2026-11-28 20:00:00` in Asia/Shanghai. */
export function shanghaiTime(at: string | number): string {
  return new Date(at).toLocaleString('sv-SE', { timeZone: 'Asia/Shanghai', hour12: false });
}

export interface RenderedMessage {
  title: string;
  body: string;
  link: string;
  params: Record<string, string>;
}

/**
 * The Chinese text of a notification: enterprise, point name and location, value and unit, tier
 * (红色（一级） …), time (Asia/Shanghai) and the console link. `params` feed the SMS and Official
 * Account templates (enterprise, point, value, tier, time).
 */
export function renderMessage(alarm: AlarmSnapshot, occasion: MessageOccasion, at: string, ctx: MessageContext): RenderedMessage {
  const { grade, color } = TIER_LABELS_ZH[alarm.tier];
  const tier = `${color}色（${grade}）`;
  const point = [ctx.pointName, alarm.pointCode].filter(Boolean).join(' ') || '网关';
  const where = ctx.pointLocation ? `（${ctx.pointLocation}）` : '';
  const value = alarm.value === null ? '—' : `${alarm.value} ${alarm.unit}`.trim();
  const time = shanghaiTime(at);
  const link = `${ctx.consoleBaseUrl.replace(/\/+$/, '')}/#/alarms/${alarm.id}`;
  const title = `【${color}色（${grade}）${OCCASION_ZH[occasion]}】${ctx.enterpriseName}`;
  const body = [`监测点：${point}${where}`, `当前值：${value}`, `级别：${tier}`, `时间：${time}`, alarm.message ? `详情：${alarm.message}` : ''].filter(Boolean).join('\n');
  return { title, body, link, params: { enterprise: ctx.enterpriseName, point: `${point}${where}`, value, tier, time } };
}

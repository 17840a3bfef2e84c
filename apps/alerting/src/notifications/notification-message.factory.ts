import type { OutboxRow } from '@sw/persistence';
import { TIER_LABELS_ZH, type AlarmSnapshot } from '@sw/rules';
import type { OutgoingMessage } from './providers/notification-provider.types';

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

/** Role and name, never the phone number or openid (the timeline is widely readable). */
export function recipientLabel(row: Pick<OutboxRow, 'recipient' | 'address'>): string {
  return row.address.name ? `${row.recipient} ${row.address.name}` : row.recipient;
}

/**
 * The message a row sends: its own text, or with a digest the rows that waited for the rate limit
 * under one title (`【报警摘要】… （另有N条）`). Hazard notices are written by the api, which knows no
 * console URL: their link is a path, completed here with CONSOLE_BASE_URL.
 */
export function outgoingMessage(row: OutboxRow, digest: readonly Pick<OutboxRow, 'title' | 'body'>[], consoleBaseUrl: string): OutgoingMessage {
  return {
    to: row.address,
    title: digest.length > 0 ? `【报警摘要】${row.title}（另有${digest.length}条）` : row.title,
    body: digest.length > 0 ? [row.body, ...digest.map((d) => `—— ${d.title}\n${d.body}`)].join('\n') : row.body,
    params: row.address.params,
    link: row.address.link.startsWith('/') ? `${consoleBaseUrl.replace(/\/+$/, '')}${row.address.link}` : row.address.link,
    idempotencyKey: row.dedup_key,
  };
}

/**
 * WeCom robot markdown has no documented escape character, so every character that starts markdown
 * or link syntax in user-controlled text (enterprise, point, location, rule message, contact name) is
 * replaced by its full-width twin, which reads the same in Chinese text: `[x](http://evil)` can no
 * longer become a link, `<font …>` a tag, `#`/`>` a heading or quote, `*`/`_`/`~`/`` ` `` emphasis or
 * code. `://` loses its slashes' meaning (`：//`) so bare URLs are not auto-linked either.
 */
const WECOM_MARKDOWN: Record<string, string> = {
  '[': '［',
  ']': '］',
  '(': '（',
  ')': '）',
  '<': '＜',
  '>': '＞',
  '*': '＊',
  _: '＿',
  '`': '｀',
  '#': '＃',
  '~': '～',
  '!': '！',
  '\\': '＼',
  '&': '＆',
  '|': '｜',
};

/** Plain text made inert in WeCom markdown (see WECOM_MARKDOWN); line breaks are kept only when `multiline`. */
export function escapeWecomMarkdown(text: string, multiline = false): string {
  const flat = multiline ? text.replace(/\r\n?/g, '\n') : text.replace(/[\r\n]+/g, ' ');
  return flat.replace(/[[\]()<>*_`#~!\\&|]/g, (c) => WECOM_MARKDOWN[c] ?? c).replace(/:\/\//g, '：//');
}

/** The console link, where only our own base URL and alarm id can appear: encoded so it cannot close the `(...)`. */
export function wecomLinkTarget(link: string): string {
  return link.replace(/[()<>\s[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

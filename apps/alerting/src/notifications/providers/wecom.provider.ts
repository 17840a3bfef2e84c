import { escapeWecomMarkdown, wecomLinkTarget } from '../notification-message.factory';
import { failure, type ContactAddress, type NotificationProvider, type OutgoingMessage, type SendResult } from './notification-provider.types';

/** WeCom allows 20 messages a minute per group robot. */
const PER_MINUTE = 20;
const MINUTE_MS = 60_000;

/**
 * WeCom group robot webhook: POST `/cgi-bin/webhook/send?key=KEY` with a markdown message. The
 * 20-a-minute limit is kept here per robot (a full minute answers "retry after"), and errcode
 * 45009 (over the limit anyway) is retryable.
 */
export class WecomProvider implements NotificationProvider {
  readonly id = 'wecom' as const;
  readonly channel = 'wechat' as const;
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly baseUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  reaches(to: ContactAddress): boolean {
    return Boolean(to.wecomKey);
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    const key = m.to.wecomKey ?? '';
    const now = this.now();
    const recent = (this.sent.get(key) ?? []).filter((t) => t > now - MINUTE_MS);
    this.sent.set(key, recent);
    if (recent.length >= PER_MINUTE) {
      return { ok: false, reason: 'wecom robot: 20 messages/minute reached', retryable: true, retryAfterMs: (recent[0] ?? now) + MINUTE_MS - now };
    }
    recent.push(now);
    // Title, body and name carry enterprise-controlled text: escaped (link and tag injection into duty groups).
    const content = `### ${escapeWecomMarkdown(m.title)}\n${escapeWecomMarkdown(m.body, true)}\n[查看报警](${wecomLinkTarget(m.link)})\n<font color="comment">@${escapeWecomMarkdown(m.to.name)}</font>`;
    try {
      const res = await fetch(`${this.baseUrl}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) return { ok: false, reason: `wecom HTTP ${res.status}`, retryable: true };
      const body = (await res.json()) as { errcode: number; errmsg: string };
      if (body.errcode === 0) return { ok: true, messageId: `wecom:${m.idempotencyKey}` };
      return { ok: false, reason: `wecom ${body.errcode}: ${body.errmsg}`, retryable: body.errcode === 45009 || body.errcode === -1, ...(body.errcode === 45009 ? { retryAfterMs: MINUTE_MS } : {}) };
    } catch (err) {
      return failure(`wecom: ${(err as Error).message}`);
    }
  }
}

import { createHash } from 'node:crypto';
import { failure, type ContactAddress, type NotificationProvider, type OutgoingMessage, type SendResult } from './notification-provider.types';

export interface WechatMpSettings {
  /** `https://api.weixin.qq.com` in production. */
  baseUrl: string;
  appId: string;
  appSecret: string;
  templateId: string;
}

/** The token is invalid or expired: fetch a new one and send again. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);

/**
 * WeChat Official Account template message: an access token from `/cgi-bin/stable_token` (cached
 * until shortly before `expires_in`, refreshed on 40001/42001), then
 * `/cgi-bin/message/template/send` with `client_msg_id` = the dedup key (WeChat drops a repeat).
 */
export class WechatMpProvider implements NotificationProvider {
  readonly id = 'wechat-mp' as const;
  readonly channel = 'wechat' as const;
  private token: { value: string; until: number } | null = null;
  private fetching: Promise<string> | null = null;

  constructor(
    private readonly settings: WechatMpSettings,
    private readonly now: () => number = Date.now,
  ) {}

  reaches(to: ContactAddress): boolean {
    return Boolean(to.wechatOpenid);
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    try {
      let body = await this.post(m, await this.accessToken(false));
      if (TOKEN_ERRORS.has(body.errcode)) body = await this.post(m, await this.accessToken(true));
      if (body.errcode === 0) return { ok: true, messageId: String(body.msgid ?? m.idempotencyKey) };
      // 43004: not following; 40003: bad openid; 40037: bad template — no point retrying
      return { ok: false, reason: `wechat ${body.errcode}: ${body.errmsg}`, retryable: ![43004, 40003, 40037, 47003].includes(body.errcode) };
    } catch (err) {
      return failure(`wechat: ${(err as Error).message}`);
    }
  }

  private async post(m: OutgoingMessage, token: string): Promise<{ errcode: number; errmsg: string; msgid?: number }> {
    const data = Object.fromEntries(Object.entries({ first: m.title, ...m.params, remark: '请尽快处置' }).map(([k, v]) => [k, { value: v }]));
    const res = await fetch(`${this.settings.baseUrl}/cgi-bin/message/template/send?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ touser: m.to.wechatOpenid, template_id: this.settings.templateId, url: m.link, client_msg_id: wechatMsgId(m.idempotencyKey), data }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return (await res.json()) as { errcode: number; errmsg: string; msgid?: number };
  }

  private accessToken(refresh: boolean): Promise<string> {
    if (!refresh && this.token && this.token.until > this.now()) return Promise.resolve(this.token.value);
    this.fetching ??= this.fetchToken(refresh).finally(() => (this.fetching = null));
    return this.fetching;
  }

  private async fetchToken(forceRefresh: boolean): Promise<string> {
    const res = await fetch(`${this.settings.baseUrl}/cgi-bin/stable_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: this.settings.appId, secret: this.settings.appSecret, force_refresh: forceRefresh }),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`token HTTP ${res.status}`);
    const body = (await res.json()) as { access_token?: string; expires_in?: number; errcode?: number; errmsg?: string };
    if (!body.access_token) throw new Error(`token ${body.errcode ?? '?'}: ${body.errmsg ?? ''}`);
    this.token = { value: body.access_token, until: this.now() + Math.max(60, (body.expires_in ?? 7200) - 300) * 1000 };
    return body.access_token;
  }
}

/**
 * `client_msg_id` takes at most 64 characters: a longer dedup key goes as its SHA-256 (64 hex), since
 * cutting it would make keys that differ only at the end (two duty officers of one district) collide.
 */
export function wechatMsgId(key: string): string {
  return key.length <= 64 ? key : createHash('sha256').update(key).digest('hex');
}

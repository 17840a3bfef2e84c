import Dysmsapi, { QuerySendDetailsRequest, SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { failure, type ContactAddress, type NotificationProvider, type OutgoingMessage, type SendResult, type SentLookup } from './notification-provider.types';

export interface AliyunSmsSettings {
  /** host[:port]; `dysmsapi.aliyuncs.com` in production. */
  endpoint: string;
  protocol: 'http' | 'https';
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  templateCode: string;
}

/** Codes after which another attempt on Aliyun cannot succeed (bad number, template, signature…). */
const PERMANENT = /^isv\.(MOBILE_NUMBER_ILLEGAL|TEMPLATE_MISSING_PARAMETERS|SMS_TEMPLATE_ILLEGAL|SMS_SIGNATURE_ILLEGAL|INVALID_PARAMETERS|BLACK_KEY_CONTROL_LIMIT)|^SignatureDoesNotMatch$|^InvalidAccessKeyId/;

/** QuerySendDetails' page size limit, and how many pages of one day a lookup reads at most. */
const PAGE_SIZE = 50;
const MAX_PAGES = 20;
/** QuerySendDetails keeps 30 days; a lookup reads at most the last 3 send dates (China time). */
const MAX_DATES = 3;

/**
 * Aliyun SMS (`SendSms`, 2017-05-25) through the official SDK, which signs with ACS3-HMAC-SHA256.
 * `OutId` carries the dedup key: the delivery receipt (SmsReport) echoes it back as `out_id`, and
 * `QuerySendDetails` lists it with every message sent to a number on a date (`findSent`). Aliyun
 * does not deduplicate by `OutId`.
 */
export class AliyunSmsProvider implements NotificationProvider {
  readonly id = 'aliyun-sms' as const;
  readonly channel = 'sms' as const;
  private readonly client: Dysmsapi;

  constructor(private readonly settings: AliyunSmsSettings) {
    this.client = new Dysmsapi(
      new $OpenApiUtil.Config({
        accessKeyId: settings.accessKeyId,
        accessKeySecret: settings.accessKeySecret,
        endpoint: settings.endpoint,
        protocol: settings.protocol,
        readTimeout: 5000,
        connectTimeout: 3000,
      }),
    );
  }

  reaches(to: ContactAddress): boolean {
    return Boolean(to.phone);
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    const request = new SendSmsRequest({
      phoneNumbers: m.to.phone ?? '',
      signName: this.settings.signName,
      templateCode: this.settings.templateCode,
      templateParam: JSON.stringify(m.params),
      outId: m.idempotencyKey,
    });
    try {
      const res = await this.client.sendSmsWithOptions(request, { autoretry: false, maxAttempts: 1 } as never);
      const body = res.body;
      if (body?.code === 'OK' && body.bizId) return { ok: true, messageId: body.bizId };
      const code = body?.code ?? 'unknown';
      return { ok: false, reason: `aliyun ${code}: ${body?.message ?? ''}`, retryable: !PERMANENT.test(code) };
    } catch (err) {
      const e = err as { code?: string; message?: string; statusCode?: number };
      const code = e.code ?? '';
      return { ...failure(`aliyun ${code || 'error'}: ${e.message ?? String(err)}`), retryable: !PERMANENT.test(code) } as SendResult;
    }
  }

  /** Looks for `OutId` = the message's key among the number's messages of each date since `since` (China time, newest first). */
  async findSent(m: OutgoingMessage, since: Date): Promise<SentLookup> {
    const phone = m.to.phone ?? '';
    const dates = sendDates(since, new Date());
    try {
      for (const sendDate of dates) {
        for (let page = 1; page <= MAX_PAGES; page++) {
          const request = new QuerySendDetailsRequest({ phoneNumber: phone, sendDate, pageSize: PAGE_SIZE, currentPage: page });
          const res = await this.client.querySendDetailsWithOptions(request, { autoretry: false, maxAttempts: 1 } as never);
          const body = res.body;
          if (body?.code !== 'OK') return { sent: null, reason: `aliyun QuerySendDetails ${body?.code ?? 'unknown'}: ${body?.message ?? ''}` };
          const list = body.smsSendDetailDTOs?.smsSendDetailDTO ?? [];
          if (list.some((d) => d.outId === m.idempotencyKey)) return { sent: true, messageId: `outId:${m.idempotencyKey}` };
          if (list.length < PAGE_SIZE) break;
          if (page === MAX_PAGES) return { sent: null, reason: `more than ${PAGE_SIZE * MAX_PAGES} messages to ${phone} on ${sendDate}` };
        }
      }
      return { sent: false };
    } catch (err) {
      return { sent: null, reason: `aliyun QuerySendDetails: ${(err as Error).message}` };
    }
  }
}

/** The send dates (yyyyMMdd, China time) from `since` to `now`, newest first, at most MAX_DATES. */
export function sendDates(since: Date, now: Date): string[] {
  const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
  const dates: string[] = [];
  for (let t = now.getTime(); dates.length < MAX_DATES; t -= 86_400_000) {
    dates.push(day(new Date(t)));
    if (day(new Date(t)) <= day(since)) break;
  }
  return dates;
}

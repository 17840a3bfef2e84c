import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { failure, type ContactAddress, type NotificationProvider, type OutgoingMessage, type SendResult } from './notification-provider.types';

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

/**
 * Aliyun SMS (`SendSms`, 2017-05-25) through the official SDK, which signs with ACS3-HMAC-SHA256.
 * `OutId` carries the dedup key: the delivery receipt (SmsReport) echoes it back as `out_id`.
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
}

import { sms } from 'tencentcloud-sdk-nodejs-sms';
import { failure, type ContactAddress, type NotificationProvider, type OutgoingMessage, type SendResult } from './notification-provider.types';

export interface TencentSmsSettings {
  /** host[:port]; `sms.tencentcloudapi.com` in production. */
  endpoint: string;
  protocol: 'http' | 'https';
  secretId: string;
  secretKey: string;
  region: string;
  sdkAppId: string;
  signName: string;
  templateId: string;
}

/** Template parameter order of the SMS template (Tencent's templates are positional). */
const PARAM_ORDER = ['enterprise', 'point', 'value', 'tier', 'time'] as const;
const PERMANENT = /^(FailedOperation\.(TemplateIncorrectOrUnapproved|SignatureIncorrectOrUnapproved|PhoneNumberInBlacklist)|InvalidParameterValue|AuthFailure)/;

/**
 * Tencent Cloud SMS (`SendSms`, 2021-01-11) through the official SDK (TC3-HMAC-SHA256).
 * `SessionContext` carries the dedup key, echoed back in the status and the receipt.
 */
export class TencentSmsProvider implements NotificationProvider {
  readonly id = 'tencent-sms' as const;
  readonly channel = 'sms' as const;
  private readonly client: InstanceType<typeof sms.v20210111.Client>;

  constructor(private readonly settings: TencentSmsSettings) {
    this.client = new sms.v20210111.Client({
      credential: { secretId: settings.secretId, secretKey: settings.secretKey },
      region: settings.region,
      profile: { httpProfile: { endpoint: settings.endpoint, protocol: `${settings.protocol}://`, reqTimeout: 5 } },
    });
  }

  reaches(to: ContactAddress): boolean {
    return Boolean(to.phone);
  }

  async send(m: OutgoingMessage): Promise<SendResult> {
    const phone = m.to.phone ?? '';
    try {
      const res = await this.client.SendSms({
        PhoneNumberSet: [phone.startsWith('+') ? phone : `+86${phone}`],
        SmsSdkAppId: this.settings.sdkAppId,
        SignName: this.settings.signName,
        TemplateId: this.settings.templateId,
        TemplateParamSet: PARAM_ORDER.map((k) => m.params[k] ?? ''),
        SessionContext: m.idempotencyKey,
      });
      const status = res.SendStatusSet?.[0];
      if (status?.Code === 'Ok' && status.SerialNo) return { ok: true, messageId: status.SerialNo };
      const code = status?.Code ?? 'unknown';
      return { ok: false, reason: `tencent ${code}: ${status?.Message ?? ''}`, retryable: !PERMANENT.test(code) };
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      return { ...failure(`tencent ${code || 'error'}: ${(err as Error).message}`), retryable: !PERMANENT.test(code) } as SendResult;
    }
  }
}

import type { AlertingConfig } from '../../config/alerting.config';
import { AliyunSmsProvider } from './aliyun-sms.provider';
import type { NotificationProvider } from './notification-provider.types';
import { TencentSmsProvider } from './tencent-sms.provider';
import { WechatMpProvider } from './wechat-mp.provider';
import { WecomProvider } from './wecom.provider';

/**
 * The configured providers, in fallback order within a channel: SMS — Aliyun, then Tencent;
 * WeChat — the Official Account, then the WeCom group robot. A provider without credentials is off.
 */
export function notificationProviders(c: AlertingConfig): NotificationProvider[] {
  const list: NotificationProvider[] = [];
  if (c.ALIYUN_ACCESS_KEY_ID && c.ALIYUN_ACCESS_KEY_SECRET) {
    list.push(
      new AliyunSmsProvider({
        endpoint: c.ALIYUN_SMS_ENDPOINT,
        protocol: c.ALIYUN_SMS_PROTOCOL,
        accessKeyId: c.ALIYUN_ACCESS_KEY_ID,
        accessKeySecret: c.ALIYUN_ACCESS_KEY_SECRET,
        signName: c.ALIYUN_SMS_SIGN_NAME,
        templateCode: c.ALIYUN_SMS_TEMPLATE_CODE,
      }),
    );
  }
  if (c.TENCENT_SECRET_ID && c.TENCENT_SECRET_KEY) {
    list.push(
      new TencentSmsProvider({
        endpoint: c.TENCENT_SMS_ENDPOINT,
        protocol: c.TENCENT_SMS_PROTOCOL,
        secretId: c.TENCENT_SECRET_ID,
        secretKey: c.TENCENT_SECRET_KEY,
        region: c.TENCENT_SMS_REGION,
        sdkAppId: c.TENCENT_SMS_APP_ID,
        signName: c.TENCENT_SMS_SIGN_NAME,
        templateId: c.TENCENT_SMS_TEMPLATE_ID,
      }),
    );
  }
  if (c.WECHAT_APP_ID && c.WECHAT_APP_SECRET) {
    list.push(new WechatMpProvider({ baseUrl: c.WECHAT_MP_BASE_URL, appId: c.WECHAT_APP_ID, appSecret: c.WECHAT_APP_SECRET, templateId: c.WECHAT_TEMPLATE_ID }));
  }
  if (c.WECOM_BASE_URL) list.push(new WecomProvider(c.WECOM_BASE_URL));
  return list;
}

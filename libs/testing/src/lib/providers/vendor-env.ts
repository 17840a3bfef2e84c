import type { AliyunSmsServer } from './aliyun-sms.server';
import type { TencentSmsServer } from './tencent-sms.server';
import type { WechatMpServer } from './wechat-mp.server';
import type { WecomServer } from './wecom.server';

export interface VendorServers {
  aliyun?: AliyunSmsServer;
  tencent?: TencentSmsServer;
  wechat?: WechatMpServer;
  wecom?: WecomServer;
}

/** The provider settings of alerting's environment that send to these local vendor servers (plain HTTP, their test credentials). */
export function vendorEnv({ aliyun, tencent, wechat, wecom }: VendorServers): Record<string, string> {
  return {
    ...(aliyun && {
      ALIYUN_SMS_ENDPOINT: aliyun.endpoint,
      ALIYUN_SMS_PROTOCOL: 'http',
      ALIYUN_ACCESS_KEY_ID: aliyun.accessKeyId,
      ALIYUN_ACCESS_KEY_SECRET: aliyun.accessKeySecret,
    }),
    ...(tencent && {
      TENCENT_SMS_ENDPOINT: tencent.endpoint,
      TENCENT_SMS_PROTOCOL: 'http',
      TENCENT_SECRET_ID: tencent.secretId,
      TENCENT_SECRET_KEY: tencent.secretKey,
    }),
    ...(wechat && { WECHAT_MP_BASE_URL: wechat.url, WECHAT_APP_ID: wechat.appId, WECHAT_APP_SECRET: wechat.appSecret }),
    ...(wecom && { WECOM_BASE_URL: wecom.url }),
  };
}

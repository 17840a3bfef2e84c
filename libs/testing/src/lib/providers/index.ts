export * from './vendor-server';
export * from './aliyun-sms.server';
export * from './tencent-sms.server';
export * from './wecom.server';
export * from './wechat-mp.server';
export * from './province.server';
export * from './vendor-env';

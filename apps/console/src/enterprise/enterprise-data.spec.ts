import type { Gateway } from '../api/api.types';
import { mandatoryText, templateGatewayOf } from './enterprise-data';

describe(mandatoryText.name, () => {
  it('shows "必选 12/14 已接入", with the registered count when part of the set is not registered', () => {
    // issue 14: the enterprise page and the ledger show 必选 n/m 已接入
    expect(mandatoryText({ registered: 14, connected: 12, required: 14 })).toBe('必选 12/14 已接入');
    expect(mandatoryText({ registered: 10, connected: 9, required: 14 })).toBe('必选 9/14 已接入（已登记 10）');
    expect(mandatoryText({ registered: 0, connected: 0, required: 0 })).toBe('');
    expect(mandatoryText(undefined)).toBe('');
  });

  it('offers the set on the first MQTT gateway', () => {
    const gw = (code: string, protocol: Gateway['protocol']): Gateway => ({ id: code, enterpriseId: 'e', code, protocol, online: false, lastSeenAt: null });
    expect(templateGatewayOf([gw('MB', 'modbus-tcp'), gw('MQ', 'mqtt')])?.code).toBe('MQ');
    expect(templateGatewayOf([gw('MB', 'modbus-tcp')])).toBeUndefined();
  });
});

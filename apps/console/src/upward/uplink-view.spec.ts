import type { UplinkStatus } from '../api/api.types';
import { formatLag, uplinkState } from './uplink-view';

const status = (s: Partial<UplinkStatus>): UplinkStatus => ({
  enabled: true,
  adapter: 'generic-json',
  endpoint: 'https://province.test/v1/batches',
  backlog: 0,
  backlogByType: { enterprise: 0, readings: 0, alarm_event: 0, hazard_event: 0 },
  enterprisesBehind: 0,
  oldestPendingAt: null,
  lagSeconds: 0,
  lastSuccessAt: null,
  lastFailureAt: null,
  lastError: null,
  failures: 0,
  deliveredLastHour: 0,
  ...s,
});

describe('uplinkState', () => {
  it('tells off, ok, failing and catching up apart', () => {
    expect(uplinkState(status({ enabled: false }))).toBe('off');
    expect(uplinkState(status({ lastFailureAt: '2026-12-04T08:00:00Z' }))).toBe('ok');
    expect(uplinkState(status({ backlog: 5, lastSuccessAt: '2026-12-04T08:00:00Z', lastFailureAt: '2026-12-04T08:01:00Z' }))).toBe('failing');
    expect(uplinkState(status({ backlog: 5, lastFailureAt: '2026-12-04T08:01:00Z' }))).toBe('failing');
    expect(uplinkState(status({ backlog: 5, lastSuccessAt: '2026-12-04T08:02:00Z', lastFailureAt: '2026-12-04T08:01:00Z' }))).toBe('catching_up');
  });
});

describe('formatLag', () => {
  it('reads like a person would say it', () => {
    expect([0, 45, 720, 12_000, 187_200].map(formatLag)).toEqual(['0 秒', '45 秒', '12 分钟', '3 小时 20 分', '2 天 4 小时']);
  });
});

// Pure view logic of the uplink status card: the state word and the readable lag.
import type { UplinkStatus } from '../api/api.types';

export type UplinkState = 'off' | 'ok' | 'catching_up' | 'failing';

export const UPLINK_STATE_LABEL: Record<UplinkState, string> = { off: '未启用', ok: '正常', catching_up: '补传中', failing: '上报中断' };

export const UPLINK_TYPE_LABEL: Record<keyof UplinkStatus['backlogByType'], string> = {
  enterprise: '企业基础信息',
  readings: '监测数据',
  alarm_event: '报警',
  hazard_event: '重大事故隐患',
};

/**
 * off: no uplink configured; ok: nothing waiting; failing: the last attempt failed after the last
 * success (or there never was one) and something waits; otherwise catching up.
 */
export function uplinkState(s: UplinkStatus): UplinkState {
  if (!s.enabled) return 'off';
  if (s.backlog === 0) return 'ok';
  const failedLast = s.lastFailureAt !== null && (s.lastSuccessAt === null || Date.parse(s.lastFailureAt) > Date.parse(s.lastSuccessAt));
  return failedLast ? 'failing' : 'catching_up';
}

/** 0 秒, 45 秒, 12 分钟, 3 小时 20 分, 2 天 4 小时. */
export function formatLag(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} 秒`;
  if (s < 3600) return `${Math.floor(s / 60)} 分钟`;
  if (s < 86_400) return `${Math.floor(s / 3600)} 小时 ${Math.floor((s % 3600) / 60)} 分`;
  return `${Math.floor(s / 86_400)} 天 ${Math.floor((s % 86_400) / 3600)} 小时`;
}

import type { RunPlan } from './run-plan';
import { round, type RunStats } from './run-stats';

/** The load mode's result, printed as one JSON line by `run --json`. */
export interface RunReport {
  mode: RunPlan['mode'];
  url: string;
  qos: 0 | 1;
  gateways: number;
  connected: number;
  connectSeconds: number;
  pointsPerGateway: number;
  intervalMs: number;
  perMessage: number;
  durationS: number;
  messages: number;
  readings: number;
  messagesPerS: number;
  readingsPerS: number;
  /** What the settings ask for: gateways × messages per tick ÷ interval. */
  targetMessagesPerS: number;
  targetReadingsPerS: number;
  skipped: number;
  withheld: number;
  failed: number;
  rejections: number;
}

/**
 * Rates over `seconds`: from the first due message to the last acknowledgement. Targets assume the
 * load mode's uniform interval (the first point's).
 */
export function runReport(plan: RunPlan, connect: { connected: number; seconds: number }, stats: RunStats, seconds: number): RunReport {
  const gateways = plan.gateways.length;
  const points = plan.gateways[0]?.points.length ?? 0;
  const intervalMs = plan.gateways[0]?.points[0]?.intervalMs ?? 1_000;
  const perSecond = 1_000 / intervalMs;
  return {
    mode: plan.mode,
    url: plan.url,
    qos: plan.qos,
    gateways,
    connected: connect.connected,
    connectSeconds: round(connect.seconds, 2),
    pointsPerGateway: points,
    intervalMs,
    perMessage: plan.perMessage,
    durationS: round(seconds, 2),
    messages: stats.published,
    readings: stats.readings,
    messagesPerS: round(stats.published / seconds),
    readingsPerS: round(stats.readings / seconds),
    targetMessagesPerS: round(gateways * Math.ceil(points / plan.perMessage) * perSecond),
    targetReadingsPerS: round(gateways * points * perSecond),
    skipped: stats.skipped,
    withheld: stats.withheld,
    failed: stats.failed,
    rejections: stats.rejections,
  };
}

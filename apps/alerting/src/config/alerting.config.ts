import { hostname } from 'node:os';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** Every setting has a safe default for single-node mode; `apps/alerting/.env.example` documents them. */
export const alertingConfigSchema = z.object({
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/safety_watch'),
  /** In single-node mode the broker is ingest's embedded aedes. */
  BROKER_URL: z.string().default('mqtt://127.0.0.1:1883'),
  SERVICE_MQTT_USERNAME: z.string().min(3).default('svc.platform'),
  SERVICE_MQTT_PASSWORD: z.string().min(12, 'SERVICE_MQTT_PASSWORD must have at least 12 characters'),
  /**
   * Stable across restarts: the broker keeps this persistent session's QoS 1 readings while
   * alerting is down and delivers them when it is back. One id per alerting instance.
   */
  ALERTING_MQTT_CLIENT_ID: z.string().min(1).max(128).default(`alerting-${hostname()}`),
  /** Must equal ingest's READING_PARTITIONS (internal/readings/{partition}). */
  READING_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(16),
  ALERTING_HTTP_PORT: port.default(3002),
  ALERTING_HTTP_BIND: z.string().default('127.0.0.1'),
  /**
   * Divides rule and escalation DURATIONS (on/off delays, sustained lifts, escalation steps) for
   * demos and tests: 60 makes a 15-minute sustained rule lift after 15 s. Timestamps, reading-time
   * windows (rate, stuck) and offline intervals (a property of the device) stay real.
   */
  ALERTING_TIME_SCALE: z.coerce.number().min(1).max(100_000).default(1),
  /** Longest a changed rule state waits before it is written (batched; condition changes flush at once). */
  ALERTING_STATE_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
});

export type AlertingConfig = z.infer<typeof alertingConfigSchema>;
export const ALERTING_CONFIG = Symbol('ALERTING_CONFIG');

/** Parses the environment once at boot; a bad setting stops the process with every reason. */
export function loadAlertingConfig(env: NodeJS.ProcessEnv = process.env): AlertingConfig {
  const result = alertingConfigSchema.safeParse(env);
  if (!result.success) {
    const reasons = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ');
    throw new Error(`invalid alerting configuration:\n  ${reasons}`);
  }
  return result.data;
}

import { hostname } from 'node:os';
import { parseGradingConfig } from '@sw/grading';
import { databaseUrlSetting, optionalSetting, parseConfig, portSetting as port, secretSetting as secret, shellSettings } from '@sw/platform';
import { z } from 'zod';

/** Every setting has a safe default for single-node mode; `apps/alerting/.env.example` documents them. */
export const alertingConfigSchema = z.object({
  DATABASE_URL: databaseUrlSetting,
  /** In single-node mode the broker is ingest's embedded aedes. */
  BROKER_URL: z.string().default('mqtt://127.0.0.1:1883'),
  SERVICE_MQTT_USERNAME: z.string().min(3).default('svc.platform'),
  SERVICE_MQTT_PASSWORD: secret('SERVICE_MQTT_PASSWORD', 'password'),
  /**
   * The instance's control session (follows internal/events, publishes committed events); stable
   * across restarts, one per alerting instance (two instances on one host need their own).
   */
  ALERTING_MQTT_CLIENT_ID: z.string().min(1).max(128).default(`alerting-${hostname()}`),
  /**
   * Reading partition p is consumed by a persistent session `{prefix}-{p}`, whichever instance holds
   * its lease: the broker keeps the partition's readings while it has no owner. Same in every
   * instance of one deployment.
   */
  ALERTING_PARTITION_CLIENT_PREFIX: z.string().min(1).max(100).default('alerting-partition'),
  /** Must equal ingest's READING_PARTITIONS (internal/readings/{partition}). */
  READING_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(16),
  /** the alarm fast lane: evaluate ingest's internal/priority/+ copies ahead of their batches */
  PRIORITY_LANE: z.stringbool().default(true),
  /**
   * How often an instance looks at the partition leases (PostgreSQL advisory locks): takes free
   * partitions up to its fair share, hands extra ones over. A dead instance's partitions are taken
   * over within about this long.
   */
  ALERTING_LEASE_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  /**
   * Reading batches of a partition judged ahead of an earlier batch's acknowledgement (replay speed
   * after an outage against memory held per partition); 0 judges one batch at a time.
   */
  ALERTING_PARTITION_AHEAD: z.coerce.number().int().min(0).max(1024).default(64),
  ALERTING_HTTP_PORT: port.default(3002),
  ALERTING_HTTP_BIND: z.string().default('127.0.0.1'),
  /**
   * Divides rule and escalation DURATIONS (on/off delays, sustained lifts, escalation steps) for
   * demos and tests: 60 makes a 15-minute sustained rule lift after 15 s. Timestamps, reading-time
   * windows (rate, stuck) and offline intervals (a property of the device) stay real.
   */
  ALERTING_TIME_SCALE: z.coerce.number().min(1).max(100_000).default(1),
  /**
   * Seconds after a context (casting_active, equipment_running) turns on before the default rules
   * it gates judge: the start of a cast or of a collector ramps flows, pressures and levels.
   */
  ALERTING_CONTEXT_GRACE_S: z.coerce.number().min(0).max(86_400).default(60),
  /** Longest a changed rule state waits before it is written (batched; condition changes flush at once). */
  ALERTING_STATE_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Links in notifications: `${CONSOLE_BASE_URL}/#/alarms/{id}`. */
  CONSOLE_BASE_URL: z.string().url().default('http://127.0.0.1:3000'),
  /** How often the delivery worker looks for due outbox rows, and how many it claims at once. */
  NOTIFY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  NOTIFY_BATCH: z.coerce.number().int().min(1).max(500).default(50),
  /** A claimed row is someone else's to take after this (a worker that died mid-send). */
  NOTIFY_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Attempts on one provider before falling back to the next; backoff doubles from NOTIFY_BACKOFF_MS. */
  NOTIFY_ATTEMPTS_PER_PROVIDER: z.coerce.number().int().min(1).max(20).default(3),
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  /** Per recipient address and channel: at most this many messages per window, the rest in one digest. */
  NOTIFY_RATE_LIMIT: z.coerce.number().int().min(1).max(1000).default(10),
  NOTIFY_RATE_WINDOW_S: z.coerce.number().int().min(1).max(86_400).default(600),
  /** How often the overdue-hazard sweep runs (escalation to the district duty officer, once per overdue day). */
  HAZARD_ESCALATION_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  /** How often the upward-reporting reminder sweep runs (each region's duty officers, once per due day, 10 days before 4 June and 4 December). */
  UPWARD_REMINDER_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  /** How often the risk-grading job looks for enterprises without today's grade (each gets one a day). */
  GRADING_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(600_000),
  /** `key=weight,…` of the five parts (sum 1) and `red=…,orange=…,yellow=…`; empty = the shipped defaults (libs/grading). */
  GRADING_WEIGHTS: z.string().default(''),
  GRADING_THRESHOLDS: z.string().default(''),
  /** InfluxDB, read-only: the grading's online rate (docs/domain.md "KPIs"). */
  INFLUX_URL: z.url().default('http://127.0.0.1:8086'),
  INFLUX_DB: z.string().regex(/^[A-Za-z0-9_]+$/).default('safety_watch'),
  INFLUX_USERNAME: optionalSetting(z.string()),
  INFLUX_PASSWORD: optionalSetting(secret('INFLUX_PASSWORD', 'password')),
  /** Aliyun SMS (enabled when the access key is set); endpoint host[:port]. */
  ALIYUN_SMS_ENDPOINT: z.string().default('dysmsapi.aliyuncs.com'),
  ALIYUN_SMS_PROTOCOL: z.enum(['http', 'https']).default('https'),
  ALIYUN_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_ACCESS_KEY_SECRET: secret('ALIYUN_ACCESS_KEY_SECRET', 'issued').optional(),
  ALIYUN_SMS_SIGN_NAME: z.string().default('安全监测'),
  ALIYUN_SMS_TEMPLATE_CODE: z.string().default('SMS_000000000'),
  /**
   * The secret path segment of the SmsReport callback URL configured at Aliyun:
   * `POST /notifications/receipts/aliyun/{SMS_RECEIPT_TOKEN}` (24+ URL-safe characters). Aliyun's HTTP
   * batch push is not signed, so this is what authenticates it; unset = receipts are refused (404).
   */
  SMS_RECEIPT_TOKEN: optionalSetting(z.string().regex(/^[A-Za-z0-9_-]{24,128}$/, 'SMS_RECEIPT_TOKEN must be 24 to 128 URL-safe characters')),
  /** Optional allow-list of source addresses for receipts, comma-separated CIDRs (`1.2.3.0/24,::1/128`); unset = any. */
  SMS_RECEIPT_ALLOWED_CIDRS: optionalSetting(z.string()),
  /** Tencent Cloud SMS (enabled when the secret id is set); endpoint host[:port]. */
  TENCENT_SMS_ENDPOINT: z.string().default('sms.tencentcloudapi.com'),
  TENCENT_SMS_PROTOCOL: z.enum(['http', 'https']).default('https'),
  TENCENT_SECRET_ID: z.string().optional(),
  TENCENT_SECRET_KEY: secret('TENCENT_SECRET_KEY', 'issued').optional(),
  TENCENT_SMS_REGION: z.string().default('ap-guangzhou'),
  TENCENT_SMS_APP_ID: z.string().default('1400000000'),
  TENCENT_SMS_SIGN_NAME: z.string().default('安全监测'),
  TENCENT_SMS_TEMPLATE_ID: z.string().default('000000'),
  /** WeCom group robots (enabled when set; the robot key is per contact). */
  WECOM_BASE_URL: z.string().url().optional(),
  /** WeChat Official Account template messages (enabled when the app id is set). */
  WECHAT_MP_BASE_URL: z.string().url().default('https://api.weixin.qq.com'),
  WECHAT_APP_ID: z.string().optional(),
  WECHAT_APP_SECRET: secret('WECHAT_APP_SECRET', 'issued').optional(),
  WECHAT_TEMPLATE_ID: z.string().default('template'),
  ...shellSettings, // METRICS_TOKEN, LOG_LEVEL, LOG_FORMAT
});

/** The grading weights and thresholds, refused at boot with every reason. */
export const alertingConfigChecked = alertingConfigSchema.superRefine((c, ctx) => {
  const parsed = parseGradingConfig({ weights: c.GRADING_WEIGHTS, thresholds: c.GRADING_THRESHOLDS });
  if (!parsed.ok) for (const problem of parsed.problems) ctx.addIssue({ code: 'custom', path: ['GRADING_WEIGHTS'], message: problem });
});

export type AlertingConfig = z.infer<typeof alertingConfigSchema>;
export const ALERTING_CONFIG = Symbol('ALERTING_CONFIG');

/** Parses the environment once at boot; a bad setting stops the process with every reason. */
export function loadAlertingConfig(env: NodeJS.ProcessEnv = process.env): AlertingConfig {
  return parseConfig('alerting', alertingConfigChecked, env);
}

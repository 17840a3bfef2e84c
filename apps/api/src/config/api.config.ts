import { DEFAULT_MODBUS_ALLOWED_CIDRS, ModbusHostPolicy, parseCountryCodes } from '@sw/persistence';
import { databaseUrlSetting, LOG_LEVELS, logFormatSetting, metricsTokenSetting, optionalSetting, parseConfig, portSetting as port, secretSetting as secret } from '@sw/platform';
import type { SecretKind } from '@sw/secrets';
import { z } from 'zod';

const optionalText = optionalSetting(z.string());
const optionalSecret = (name: string, kind: SecretKind) => optionalSetting(secret(name, kind));

/** Every setting has a safe default for single-node mode except the secrets; `.env.example` documents them. */
export const apiConfigSchema = z.object({
  DATABASE_URL: databaseUrlSetting,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  INFLUX_URL: z.url().default('http://127.0.0.1:8086'),
  INFLUX_DB: z.string().regex(/^[A-Za-z0-9_]+$/).default('safety_watch'),
  INFLUX_USERNAME: optionalText,
  INFLUX_PASSWORD: optionalSecret('INFLUX_PASSWORD', 'password'),
  BROKER_URL: z.string().default('mqtt://127.0.0.1:1883'),
  SERVICE_MQTT_USERNAME: z.string().min(3).default('svc.platform'),
  SERVICE_MQTT_PASSWORD: secret('SERVICE_MQTT_PASSWORD', 'password'),
  API_PORT: port.default(3000),
  API_BIND: z.string().default('0.0.0.0'),
  /** HS256 key; 32 characters at least (RFC 7518 §3.2: a key as long as the hash), random (libs/secrets). */
  JWT_SECRET: secret('JWT_SECRET', 'signing-key'),
  JWT_TTL_S: z.coerce.number().int().min(60).max(7 * 86_400).default(8 * 3600), // 8 h
  /** Used only when the database has no admin yet; then both are required (no default password). */
  ADMIN_USERNAME: optionalText,
  ADMIN_PASSWORD: optionalSecret('ADMIN_PASSWORD', 'password'),
  /** Comma-separated browser origins allowed to call the API; unset = no CORS headers. */
  CORS_ORIGIN: optionalText,
  /** Express `trust proxy`: set when behind a reverse proxy so `req.ip` (audit log) is the client's. */
  TRUST_PROXY: optionalText,
  /** Failed logins per username and IP before the back-off (1 s, 2 s, 4 s … 15 min) starts. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * Calling codes besides mainland China whose numbers contacts may have (comma-separated, e.g.
   * `852,853`); unset = mainland mobiles only (issue 18: SMS pumping).
   */
  CONTACT_ALLOWED_COUNTRY_CODES: z
    .string()
    .default('')
    .transform((v, ctx) => {
      try {
        return parseCountryCodes(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** The first back-off wait (then doubling, up to 15 min). */
  LOGIN_BACKOFF_BASE_MS: z.coerce.number().int().min(100).max(600_000).default(1000),
  /** Failed logins per IP, any username, before the same back-off starts (a NAT shares one IP). */
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Failed logins of everyone per window; beyond it every login answers 429 until the window ends. */
  LOGIN_GLOBAL_MAX_FAILURES: z.coerce.number().int().min(1).max(1_000_000).default(300),
  LOGIN_GLOBAL_WINDOW_S: z.coerce.number().int().min(1).max(3600).default(60),
  /** Most rows a readings query answers (raw readings are cut there, buckets refused beyond it). */
  READINGS_MAX_ROWS: z.coerce.number().int().min(10).max(1_000_000).default(10_000),
  /**
   * Most readings a bucketed history query may aggregate, estimated as span ÷ the point's expected
   * interval (at most 60 s): 400 days of a 60 s point is 576 000 (issue 18).
   */
  READINGS_MAX_SCAN_ROWS: z.coerce.number().int().min(1000).max(100_000_000).default(500_000),
  /** History queries per user: a burst of READINGS_BURST, refilled at READINGS_RATE_PER_MIN (per api process). */
  READINGS_BURST: z.coerce.number().int().min(1).max(10_000).default(20),
  READINGS_RATE_PER_MIN: z.coerce.number().min(0.1).max(100_000).default(60),
  /** Protocol pings to live-feed sockets; one unanswered ping drops the socket. */
  LIVE_PING_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  LIVE_AUTH_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000), // docs/contracts.md §5: 5 s
  /** How often the live feed compares its position with PostgreSQL's head (a lost last message). */
  LIVE_HEAD_POLL_MS: z.coerce.number().int().min(50).default(2_000),
  /** The alarm fast lane: hear committed events by PostgreSQL LISTEN/NOTIFY too, not only through the broker. */
  LIVE_NOTIFY: z.stringbool().default(true),
  /**
   * Audit rows are kept this long, then pruned. 730 d: two annual assessment cycles for accountability
   * reviews; never below 180 d (Cybersecurity Law art. 21: network logs at least six months).
   */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180).max(36_500).default(730),
  AUDIT_PRUNE_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000), // 1 h
  /** Ledger import limits: file size (both formats), data rows, and an XLSX's total uncompressed size. */
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).default(32 * 1024 * 1024), // 32 MiB
  IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(50_000),
  IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES: z.coerce.number().int().min(1024).default(128 * 1024 * 1024), // 128 MiB: 50,000 rows of ~40 columns
  /** Folder for hazard evidence photos (named by SHA-256, outside the database); relative to the working directory. */
  EVIDENCE_DIR: z.string().min(1).default('.run/evidence'),
  /** 举报 abuse limits: accepted reports per client IP per hour, and per phone number per day. */
  PUBLIC_REPORTS_PER_IP_HOUR: z.coerce.number().int().min(1).max(10_000).default(30),
  PUBLIC_REPORTS_PER_PHONE_DAY: z.coerce.number().int().min(1).max(1_000).default(5),
  /** Origin written into posting-page links and QR codes (e.g. https://aq.example.gov.cn); unset = the request's own origin. */
  PUBLIC_BASE_URL: optionalSetting(z.url()),
  METRICS_TOKEN: metricsTokenSetting, // who reads `/metrics` and the details of `/health` (libs/platform)
  /** 接入率: an enterprise is connected when every mandatory point reported within this many days. */
  KPI_CONNECTION_WINDOW_DAYS: z.coerce.number().int().min(1).max(366).default(7),
  /** Longest maintenance (检修) window an enterprise may ask for on a mandatory point, in minutes (default 72 h). */
  MAINTENANCE_REQUEST_MAX_MINUTES: z.coerce.number().int().min(1).max(10_080).default(4_320),
  /** Modbus TCP devices may only be registered at these networks (the same list ingest polls by; names are resolved). */
  MODBUS_ALLOWED_CIDRS: z
    .string()
    .default(DEFAULT_MODBUS_ALLOWED_CIDRS)
    .transform((text, ctx) => {
      try {
        return ModbusHostPolicy.parse(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  LOG_LEVEL: z.enum([...LOG_LEVELS, 'silent']).default('info'),
  LOG_FORMAT: logFormatSetting,
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
export const API_CONFIG = Symbol('API_CONFIG');

/** Parses the environment once at boot; a bad setting stops the process with every reason. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseConfig('api', apiConfigSchema, env);
}

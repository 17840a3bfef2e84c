import { databaseUrlSetting, optionalSetting as optional, parseConfig, portSetting as port, secretSetting as secret, shellSettings } from '@sw/platform';
import { UPLINK_MAX_BATCH_MESSAGES } from '@sw/uplink-protocol';
import { z } from 'zod';

/**
 * The uplink to the provincial platform (docs/contracts.md §6). Without `UPLINK_ENDPOINT` the app
 * runs idle (reads and sends nothing); `apps/uplink/.env.example` documents every setting.
 */
export const uplinkConfigSchema = z
  .object({
    DATABASE_URL: databaseUrlSetting,
    INFLUX_URL: z.string().url().default('http://127.0.0.1:8086'),
    INFLUX_DB: z.string().regex(/^[A-Za-z0-9_]+$/).default('safety_watch'),
    INFLUX_USERNAME: optional(z.string()),
    INFLUX_PASSWORD: optional(secret('INFLUX_PASSWORD', 'password')),
    UPLINK_HTTP_PORT: port.default(3003),
    UPLINK_HTTP_BIND: z.string().default('127.0.0.1'),
    /** One adapter per provincial data-access specification; `generic-json` is docs/contracts.md §6. */
    UPLINK_ADAPTER: z.enum(['generic-json']).default('generic-json'),
    /** The province's base URL (`https://…`); unset = the uplink is off. */
    UPLINK_ENDPOINT: optional(z.string().url()),
    /** This platform's name at the province (the envelope's `sender`). */
    UPLINK_SENDER_ID: z.string().min(1).max(64).default('safety-watch'),
    /** The HMAC key the province issued: its id and the shared secret (≥ 32 characters). */
    UPLINK_KEY_ID: optional(z.string().min(1).max(64)),
    UPLINK_SECRET: optional(secret('UPLINK_SECRET', 'signing-key')),
    /** Optional mutual TLS: the province's CA, our client certificate and key (PEM files). */
    UPLINK_CA_FILE: optional(z.string()),
    UPLINK_CLIENT_CERT_FILE: optional(z.string()),
    UPLINK_CLIENT_KEY_FILE: optional(z.string()),
    /** Readings go up as per-point min/max/mean/last over windows of this length (the province's choice). */
    UPLINK_READINGS_INTERVAL_S: z.coerce.number().int().min(1).max(86_400).default(60),
    /** A window is aggregated this long after it closed, so readings that arrive late are in it. */
    UPLINK_READINGS_LATENESS_S: z.coerce.number().int().min(0).max(3600).default(15),
    /** At most this many windows are read from InfluxDB per turn (catching up after the uplink itself was down). */
    UPLINK_READINGS_MAX_WINDOWS: z.coerce.number().int().min(1).max(1440).default(10),
    /** How often the sources are read and the outbox looked at. */
    UPLINK_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(1000),
    /** Messages of one enterprise in one request (≤ the contract's 500). */
    UPLINK_BATCH_SIZE: z.coerce.number().int().min(1).max(UPLINK_MAX_BATCH_MESSAGES).default(100),
    /** Enterprises sent to in parallel per turn (one request in flight per enterprise). */
    UPLINK_PARALLEL: z.coerce.number().int().min(1).max(256).default(8),
    UPLINK_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
    /** Retry delay after a failed request: doubles from this, with jitter… */
    UPLINK_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    /** …up to this. */
    UPLINK_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(3_600_000).default(300_000),
    /** How often the enterprises' ledger rows are compared with what was last forwarded. */
    UPLINK_LEDGER_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
    /**
     * The event sources are re-read this far behind their newest row: hazard_events ids are taken
     * before their transaction commits, so a row with a smaller id can become visible later.
     */
    UPLINK_SETTLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
    /** Where a fresh outbox starts reading: `now` (only what happens from now on) or `beginning` (all history). */
    UPLINK_START_FROM: z.enum(['now', 'beginning']).default('now'),
    /** Delivered messages are kept this long, then deleted. */
    UPLINK_RETENTION_DAYS: z.coerce.number().min(0.0001).max(3650).default(7),
    ...shellSettings, // METRICS_TOKEN, LOG_LEVEL, LOG_FORMAT
  })
  .superRefine((c, ctx) => {
    if (c.UPLINK_ENDPOINT && (!c.UPLINK_KEY_ID || !c.UPLINK_SECRET)) {
      ctx.addIssue({ code: 'custom', path: ['UPLINK_SECRET'], message: 'UPLINK_KEY_ID and UPLINK_SECRET are required when UPLINK_ENDPOINT is set' });
    }
    if (c.UPLINK_ENDPOINT && !/^https:/.test(c.UPLINK_ENDPOINT) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(c.UPLINK_ENDPOINT)) {
      ctx.addIssue({ code: 'custom', path: ['UPLINK_ENDPOINT'], message: 'UPLINK_ENDPOINT must be https:// (plain http only to this host, for the local test province)' });
    }
    if (Boolean(c.UPLINK_CLIENT_CERT_FILE) !== Boolean(c.UPLINK_CLIENT_KEY_FILE)) {
      ctx.addIssue({ code: 'custom', path: ['UPLINK_CLIENT_KEY_FILE'], message: 'UPLINK_CLIENT_CERT_FILE and UPLINK_CLIENT_KEY_FILE go together' });
    }
  });

export type UplinkConfig = z.infer<typeof uplinkConfigSchema>;
export const UPLINK_CONFIG = Symbol('UPLINK_CONFIG');

/** Parses the environment once at boot; a bad setting stops the process with every reason. */
export function loadUplinkConfig(env: NodeJS.ProcessEnv = process.env): UplinkConfig {
  return parseConfig('uplink', uplinkConfigSchema, env);
}

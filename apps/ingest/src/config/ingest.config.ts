import { DEFAULT_MODBUS_ALLOWED_CIDRS, ModbusHostPolicy } from '@sw/persistence';
import { databaseUrlSetting, parseConfig, portSetting as port, secretSetting as secret, shellSettings } from '@sw/platform';
import { z } from 'zod';

/** Every setting has a safe default for single-node mode; `.env.example` documents them. */
export const ingestConfigSchema = z.object({
  DATABASE_URL: databaseUrlSetting,
  INFLUX_URL: z.string().url().default('http://127.0.0.1:8086'),
  INFLUX_DB: z.string().regex(/^[A-Za-z0-9_]+$/).default('safety_watch'),
  INFLUX_USERNAME: z.string().optional(),
  INFLUX_PASSWORD: secret('INFLUX_PASSWORD', 'password').optional(),
  INFLUX_RETENTION_DAYS: z.coerce.number().int().min(1).default(400),
  /** `embedded`: aedes inside ingest; `external`: ingest is a client of another broker. */
  BROKER_MODE: z.enum(['embedded', 'external']).default('embedded'),
  BROKER_URL: z.string().default('mqtt://127.0.0.1:1883'),
  MQTT_BIND: z.string().default('0.0.0.0'),
  MQTT_PORT: port.default(1883),
  MQTT_WS_PORT: port.optional(),
  MQTTS_PORT: port.optional(),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  SERVICE_MQTT_USERNAME: z.string().min(3).default('svc.platform'),
  SERVICE_MQTT_PASSWORD: secret('SERVICE_MQTT_PASSWORD', 'password'),
  /**
   * External mode: the client id of ingest's persistent session at the broker, which keeps the
   * session's queue across ingest and broker restarts (`{id}-pub` publishes). Default
   * `ingest-{hostname}`; replicas on one host need distinct ids.
   */
  INGEST_MQTT_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/).optional(),
  /**
   * External mode, several ingest replicas: the `$share` group they split gateway telemetry in. Unset
   * (one ingest): a plain subscription, which Mosquitto keeps across its restarts (it does not keep a
   * `$share` one: README "Not guaranteed").
   */
  INGEST_MQTT_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  MOSQUITTO_PASSWORD_FILE: z.string().optional(),
  MOSQUITTO_ACL_FILE: z.string().optional(),
  /**
   * The service account's own password file, for Mosquitto's internal listener: with it the gateway
   * password file holds gateways only, and the gateway listener can force client id = username.
   */
  MOSQUITTO_SERVICE_PASSWORD_FILE: z.string().optional(),
  MOSQUITTO_RELOAD_COMMAND: z.string().optional(),
  INGEST_HTTP_PORT: port.default(3001),
  INGEST_HTTP_BIND: z.string().default('127.0.0.1'),
  READING_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(16),
  /** the alarm fast lane: readings near a setpoint also go to alerting at once on internal/priority/{p} */
  PRIORITY_LANE: z.stringbool().default(true),
  INFLUX_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5000),
  INFLUX_FLUSH_MS: z.coerce.number().int().min(1).max(60_000).default(50),
  /** readings queued in memory for InfluxDB beyond which batches go to the disk spool */
  INFLUX_MAX_QUEUED: z.coerce.number().int().min(1000).default(500_000),
  INFLUX_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(32).default(4),
  SPOOL_DIR: z.string().default('.run/spool'),
  SPOOL_MAX_BYTES: z.coerce.number().int().min(1_000_000).default(2_000_000_000),
  /**
   * readings held in memory when InfluxDB is down and the spool cannot take more (at SPOOL_MAX_BYTES
   * or its disk full): their PUBACKs wait; beyond it the oldest held are dropped and counted
   */
  INFLUX_HOLD_MAX_READINGS: z.coerce.number().int().min(10_000).default(500_000),
  LAST_SEEN_FLUSH_MS: z.coerce.number().int().min(100).default(10_000),
  AUTH_CACHE_TTL_S: z.coerce.number().int().min(0).default(600),
  /** Failed MQTT logins per username and IP before the back-off (1 s, 2 s … 15 min) starts. */
  MQTT_AUTH_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** Failed MQTT logins per IP, any username, before the same back-off (gateways behind one NAT share it). */
  MQTT_AUTH_IP_MAX_FAILURES: z.coerce.number().int().min(1).max(100_000).default(50),
  /** Poll the registry's modbus-tcp gateways; with several ingest replicas, on exactly one of them. */
  MODBUS_POLLING: z.stringbool().default(true),
  /** First retry after a Modbus device stopped answering; doubles per failure up to the max. */
  MODBUS_BACKOFF_MIN_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  MODBUS_BACKOFF_MAX_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
  /** Embedded broker bounds (README §Security): checked on the MQTT fixed header, before buffering. */
  MQTT_MAX_CONNECT_BYTES: z.coerce.number().int().min(256).max(65_536).default(4096),
  /** a gateway's packets: the 256 KiB telemetry payload plus topic and header room */
  MQTT_MAX_PACKET_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(278_528),
  MQTT_MAX_SERVICE_PACKET_BYTES: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(16 * 1024 * 1024),
  /** open MQTT connections over all listeners; more are closed at once */
  MQTT_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(20_000),
  /** new connections per second from one IP address (token bucket), and the burst above that rate */
  MQTT_CONNECT_RATE_PER_IP: z.coerce.number().min(0.1).default(50),
  MQTT_CONNECT_BURST_PER_IP: z.coerce.number().int().min(1).default(500),
  /** topic filters one gateway session may hold; more are refused with SUBACK 128 */
  MQTT_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(1000).default(8),
  /** Modbus TCP devices may only be polled at these networks (comma-separated CIDRs; names are resolved first). */
  MODBUS_ALLOWED_CIDRS: z
    .string()
    .default(DEFAULT_MODBUS_ALLOWED_CIDRS)
    .superRefine((text, ctx) => {
      try {
        ModbusHostPolicy.parse(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
  ...shellSettings, // METRICS_TOKEN, LOG_LEVEL, LOG_FORMAT
});

export type IngestConfig = z.infer<typeof ingestConfigSchema>;
export const INGEST_CONFIG = Symbol('INGEST_CONFIG');

/** Parses the environment once at boot; a bad setting stops the process with every reason. */
export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  const config = parseConfig('ingest', ingestConfigSchema, env);
  if ((config.MQTTS_PORT !== undefined) !== Boolean(config.TLS_CERT_FILE && config.TLS_KEY_FILE)) {
    throw new Error('invalid ingest configuration: MQTTS_PORT needs TLS_CERT_FILE and TLS_KEY_FILE (and they need it)');
  }
  return config;
}

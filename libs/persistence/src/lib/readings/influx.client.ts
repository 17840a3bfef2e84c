import { InfluxDB } from 'influx';

/** One InfluxQL series, as `/query?epoch=ms` answers it. */
export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/** Runs one InfluxQL statement with epoch=ms and answers its series (the api's InfluxService, or `influxQuery` below). */
export type InfluxQuery = (influxQL: string) => Promise<InfluxSeries[]>;

export interface InfluxSettings {
  url: string;
  database: string;
  username?: string | undefined;
  password?: string | undefined;
}

/** An `influx` client for the v1 HTTP API at `s.url`. */
export function influxClient(s: InfluxSettings): InfluxDB {
  const url = new URL(s.url);
  return new InfluxDB({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 8086)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    database: s.database,
    ...(s.username && { username: s.username }),
    ...(s.password && { password: s.password }),
  });
}

/** The series of one statement's answer; a database that does not exist yet has no readings, any other error is thrown. */
export async function runInfluxQuery(client: InfluxDB, database: string, influxQL: string): Promise<InfluxSeries[]> {
  const raw = (await client.queryRaw(influxQL, { precision: 'ms', database })) as { results?: { series?: InfluxSeries[]; error?: string }[]; error?: string };
  const result = raw.results?.[0];
  const error = raw.error ?? result?.error;
  if (error && !/database not found/.test(error)) throw new Error(`InfluxDB: ${error}`);
  return result?.series ?? [];
}

/**
 * A read-only InfluxQL client over the v1 HTTP API (docs/architecture.md "Stores") for the processes
 * that have no InfluxService of their own (alerting's grading job, the CLI).
 */
export function influxQuery(s: InfluxSettings): InfluxQuery {
  const client = influxClient(s);
  return (influxQL) => runInfluxQuery(client, s.database, influxQL);
}

import { createDataSource, generateSecret, hashGatewaySecret, mosquittoHash, RegistryService } from '@sw/persistence';
import { usccCheckChar } from '@sw/sensors';
import pg from 'pg';
import type { LoadGateway } from '../load/load-generator';
import type { PointMixEntry, ProvisionedBench } from './bench-setup';

export interface BulkProvisionOptions {
  gateways: number;
  pointsPer: number;
  mix: PointMixEntry[];
  /** `shared`: one secret and one argon2id hash for every gateway (fast); `distinct`: one each */
  secrets: 'shared' | 'distinct';
  /** argon2 hashes in flight for `distinct` (they run on libuv's thread pool) */
  hashConcurrency?: number;
  perEnterprise?: number;
  expectedIntervalS?: number;
}

export interface BulkProvisioned extends ProvisionedBench {
  seconds: number;
  hashSeconds: number;
  secrets: 'shared' | 'distinct';
  /** the point type entry of gateway g's point p */
  entryOf(g: number, p: number): PointMixEntry;
}

const CHUNK = 10_000; // rows a statement (unnest arrays: one parameter per column)

/**
 * G gateways × P points straight into PostgreSQL with a few multi-row INSERTs (the registry's
 * per-row NOTIFY still fires, so run it before ingest and alerting start, or they refresh 100k
 * times), plus a probe gateway with one CO point registered the normal way.
 */
export async function bulkProvision(databaseUrl: string, o: BulkProvisionOptions): Promise<BulkProvisioned> {
  const started = Date.now();
  const perEnterprise = o.perEnterprise ?? 500;
  const entryOf = (g: number, p: number): PointMixEntry => o.mix[(g * o.pointsPer + p) % o.mix.length] as PointMixEntry;
  const ds = await createDataSource({ url: databaseUrl, poolSize: 2 }).initialize();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const registry = new RegistryService(ds);
    const enterpriseIds: string[] = [];
    for (let e = 0; e < Math.ceil(o.gateways / perEnterprise); e++) {
      const first17 = `91320505MA1MBE${String(e).padStart(3, '0')}`;
      const enterprise = await registry.createEnterprise({ name: `基准测试企业${e + 1}`, uscc: first17 + (usccCheckChar(first17) as string), regionCode: '320505', riskCategories: ['metal_dust'], dustWorkers: 50 });
      enterpriseIds.push(enterprise.id);
    }
    const hashStarted = Date.now();
    const secrets = await secretsFor(o);
    const hashSeconds = (Date.now() - hashStarted) / 1000;
    const codes = Array.from({ length: o.gateways }, (_, g) => `BENCH-${String(g).padStart(5, '0')}`);
    await client.query('BEGIN');
    for (let from = 0; from < o.gateways; from += CHUNK) {
      const slice = codes.slice(from, from + CHUNK);
      await client.query(
        `INSERT INTO gateways (enterprise_id, code, protocol, secret_hash, mosquitto_hash, secret_rotated_at)
         SELECT e, c, 'mqtt', h, m, now() FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS t(e, c, h, m)`,
        [
          slice.map((_, i) => enterpriseIds[Math.floor((from + i) / perEnterprise)]),
          slice,
          slice.map((_, i) => secrets[(from + i) % secrets.length]?.hash),
          slice.map((_, i) => secrets[(from + i) % secrets.length]?.mq),
        ],
      );
    }
    const ids = new Map((await client.query<{ id: string; code: string }>(`SELECT id, code FROM gateways WHERE code LIKE 'BENCH-%'`)).rows.map((r) => [r.code, r.id]));
    const pointCodes = Array.from({ length: o.pointsPer }, (_, p) => `P-${String(p).padStart(4, '0')}`);
    const rows: [string, string, string, string, string][] = [];
    const flush = async (): Promise<void> => {
      await client.query(
        `INSERT INTO points (gateway_id, code, type, unit, name, expected_interval_s)
         SELECT g, c, t, u, n, $6 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(g, c, t, u, n)`,
        [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3]), rows.map((r) => r[4]), o.expectedIntervalS ?? 600],
      );
      rows.length = 0;
    };
    for (let g = 0; g < o.gateways; g++) {
      for (let p = 0; p < o.pointsPer; p++) {
        const entry = entryOf(g, p);
        rows.push([ids.get(codes[g] as string) as string, pointCodes[p] as string, entry.type, entry.unit, `${entry.type} ${p}`]);
        if (rows.length === CHUNK) await flush();
      }
    }
    if (rows.length > 0) await flush();
    await client.query('COMMIT');
    const gateways: LoadGateway[] = codes.map((code, g) => ({
      code,
      password: secrets[g % secrets.length]?.password ?? null,
      points: pointCodes,
      baselines: pointCodes.map((_, p) => entryOf(g, p).baseline),
    }));
    const { gateway, mqtt } = await registry.createGateway(enterpriseIds[0] as string, { code: 'PROBE-001', protocol: 'mqtt' });
    const point = await registry.createPoint(gateway.id, { code: 'PROBE', type: 'co', unit: 'ppm', name: '延迟探针 CO' });
    const probe = { code: gateway.code, password: mqtt?.password as string, pointId: point.id, pointCode: point.code };
    return { gateways, probe, seconds: (Date.now() - started) / 1000, hashSeconds, secrets: o.secrets, entryOf };
  } finally {
    await client.end();
    await ds.destroy();
  }
}

async function secretsFor(o: BulkProvisionOptions): Promise<{ password: string; hash: string; mq: string }[]> {
  const count = o.secrets === 'shared' ? 1 : o.gateways;
  const out: { password: string; hash: string; mq: string }[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const password = generateSecret();
      const [hash, mq] = await Promise.all([hashGatewaySecret(password), mosquittoHash(password)]);
      out[i] = { password, hash, mq };
    }
  };
  await Promise.all(Array.from({ length: Math.min(count, o.hashConcurrency ?? 4) }, worker));
  return out;
}

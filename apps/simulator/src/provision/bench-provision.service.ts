import {
  createPointSchema,
  Gateway,
  generateSecret,
  hashGatewaySecret,
  mosquittoHash,
  Point,
  RegistryService,
} from '@sw/persistence';
import { In, type DataSource } from 'typeorm';
import type { CredentialsGateway } from '../credentials/credentials.schema';
import { mapLimit } from '../map-limit';
import { BENCH_BASELINE, BENCH_POINT_TYPE, benchPlan, type BenchPlanOptions } from './bench-plan.factory';

export interface BenchProvisionOptions extends BenchPlanOptions {
  /** expectedIntervalS registered for every point. */
  intervalS: number;
  /** argon2 hashes in flight (~20 ms of a libuv thread each). */
  hashConcurrency: number;
  log: (line: string) => void;
}

export interface BenchProvisionResult {
  enterprises: number;
  gateways: number;
  points: number;
  pointsCreated: number;
  seconds: number;
  credentials: CredentialsGateway[];
}

const GATEWAY_CHUNK = 500;
const POINT_CHUNK = 1_000; // 9 columns a row: well under PostgreSQL's 65,535 parameters

/**
 * Registers N gateways × M `temperature` points for benchmarks, fast: secrets hashed with limited
 * concurrency, gateways upserted by code (an existing one gets a new secret), points inserted in
 * batches and skipped when they exist. Rows are shaped as the registry would (one point is
 * validated through its schema); the registry's triggers still announce every row to ingest.
 */
export class BenchProvisionService {
  constructor(private readonly ds: DataSource) {}

  async provision(options: BenchProvisionOptions): Promise<BenchProvisionResult> {
    const started = Date.now();
    const plan = benchPlan(options);
    const registry = new RegistryService(this.ds);
    const enterpriseIds: string[] = [];
    for (const e of plan.enterprises) {
      const found = await registry.findEnterpriseByUscc(e.uscc);
      const enterprise = found ?? (await registry.createEnterprise({ ...e, riskCategories: ['other_dust'], dustWorkers: 0 }));
      enterpriseIds.push(enterprise.id);
    }
    const sample = createPointSchema.parse({ code: plan.pointCodes[0], type: BENCH_POINT_TYPE, name: 'x', expectedIntervalS: options.intervalS });

    let hashed = 0;
    const secrets = await mapLimit(plan.gateways, options.hashConcurrency, async (g) => {
      const password = generateSecret();
      const [secretHash, mqHash] = await Promise.all([hashGatewaySecret(password), mosquittoHash(password)]);
      if (++hashed % 1_000 === 0) options.log(`hashed ${hashed}/${plan.gateways.length} secrets`);
      return { code: g.code, enterprise: g.enterprise, password, secretHash, mqHash };
    });

    const gateways = this.ds.getRepository(Gateway);
    let pointsCreated = 0;
    for (let from = 0; from < secrets.length; from += GATEWAY_CHUNK) {
      const chunk = secrets.slice(from, from + GATEWAY_CHUNK);
      const rotatedAt = new Date();
      await gateways.upsert(
        chunk.map((s) => ({
          code: s.code,
          enterpriseId: enterpriseIds[s.enterprise] as string,
          protocol: 'mqtt' as const,
          modbus: null,
          secretHash: s.secretHash,
          mosquittoHash: s.mqHash,
          secretRotatedAt: rotatedAt,
        })),
        { conflictPaths: ['code'] },
      );
      const ids = await gateways.find({ select: { id: true, code: true }, where: { code: In(chunk.map((s) => s.code)) } });
      const rows = ids.flatMap((g) =>
        plan.pointCodes.map((code) => ({
          gatewayId: g.id,
          code,
          type: sample.type,
          unit: sample.unit,
          name: `压测温度 ${code}`,
          location: null,
          mandatory: false,
          expectedIntervalS: sample.expectedIntervalS,
          register: null,
          thresholds: null,
        })),
      );
      for (let p = 0; p < rows.length; p += POINT_CHUNK) {
        const res = await this.ds.createQueryBuilder().insert().into(Point).values(rows.slice(p, p + POINT_CHUNK)).orIgnore().execute();
        pointsCreated += Array.isArray(res.raw) ? res.raw.length : 0; // RETURNING: the rows actually inserted
      }
      options.log(`registered ${Math.min(from + GATEWAY_CHUNK, secrets.length)}/${secrets.length} gateways`);
    }

    return {
      enterprises: plan.enterprises.length,
      gateways: secrets.length,
      points: secrets.length * plan.pointCodes.length,
      pointsCreated,
      seconds: (Date.now() - started) / 1000,
      credentials: secrets.map((s) => ({
        code: s.code,
        password: s.password,
        enterprise: plan.enterprises[s.enterprise]?.name,
        points: plan.pointCodes.map((code) => ({ code, type: sample.type, unit: sample.unit, intervalS: options.intervalS, baseline: BENCH_BASELINE })),
      })),
    };
  }
}

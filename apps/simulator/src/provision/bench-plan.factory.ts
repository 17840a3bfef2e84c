import { demoUscc } from './uscc.factory';

export interface BenchPlanOptions {
  gateways: number;
  points: number;
  /** Gateways per enterprise: a few large enterprises, like an industrial park. */
  perEnterprise: number;
}

export interface BenchPlan {
  enterprises: { name: string; uscc: string; regionCode: string }[];
  /** `enterprise` is an index into `enterprises`. */
  gateways: { code: string; enterprise: number }[];
  pointCodes: string[];
}

/** Benchmark enterprises sit in 相城区 and in `other_dust`, outside the connection-rate scope. */
export const BENCH_REGION = '320507';
export const BENCH_SERIAL_BASE = 90_000;
export const BENCH_POINT_TYPE = 'temperature';
export const BENCH_BASELINE = 25; // °C

/** Codes are fixed by position, so a second bench provisioning finds what the first created. */
export function benchPlan(options: BenchPlanOptions): BenchPlan {
  const { gateways, points, perEnterprise } = options;
  if (!(gateways >= 1 && gateways <= 99_999)) throw new RangeError('--gateways must be 1–99999');
  if (!(points >= 1 && points <= 1_000)) throw new RangeError('--points must be 1–1000 (docs/contracts.md §1: 1,000 readings a message)');
  const enterpriseCount = Math.ceil(gateways / Math.max(1, perEnterprise));
  const enterprises = Array.from({ length: enterpriseCount }, (_, i) => ({
    name: `苏州相城压测模拟企业${String(i + 1).padStart(3, '0')}有限公司`,
    uscc: demoUscc(BENCH_REGION, BENCH_SERIAL_BASE + i),
    regionCode: BENCH_REGION,
  }));
  return {
    enterprises,
    gateways: Array.from({ length: gateways }, (_, i) => ({
      code: `BENCH-${String(i + 1).padStart(5, '0')}`,
      enterprise: Math.floor(i / Math.max(1, perEnterprise)),
    })),
    pointCodes: Array.from({ length: points }, (_, j) => `T${String(j + 1).padStart(4, '0')}`),
  };
}

#!/usr/bin/env node
// Heap per point of apps/alerting's evaluation state (docs/architecture.md: 100,000 points in about
// 100 MB): registry records as PointRegistryService keeps them, catalog rules, rule states after
// two readings each (fractional values and timestamps, as sensors send them: numbers a state keeps
// cost a heap number each, small integers cost nothing), the timer heap. Uses the built app: `npx nx run alerting:build` first, then
//   node --expose-gc scripts/alerting-memory.mjs [points=100000]
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const D = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist/apps/alerting/src');
const { PointRulesFactory } = require(`${D}/points/point-rules.factory.js`);
const { EvaluationService } = require(`${D}/pipeline/evaluation.service.js`);
const { TimerService } = require(`${D}/timers/timer.service.js`);
const { MetricsService } = require(`${D}/observability/metrics.service.js`);
if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');

const N = Number(process.argv[2] ?? 100_000);
const TYPES = [['co', 'ppm'], ['h2s', 'mg/m3'], ['o2', '%VOL'], ['hopper_temperature', '°C'], ['water_flow', 'm3/h'], ['spark_detected', ''], ['combustible_gas', '%LEL']];
const gateways = Array.from({ length: Math.ceil(N / 50) }, () => randomUUID());
const enterprises = Array.from({ length: Math.ceil(N / 500) }, () => randomUUID());
const strings = new Map();
const s = (v) => strings.get(v) ?? (strings.set(v, v), v);
const heap = () => (global.gc(), global.gc(), process.memoryUsage().heapUsed);
const metrics = new MetricsService();

const before = heap();
const timers = new TimerService({ now: () => Date.now(), setTimeout: () => 0, clearTimeout: () => undefined });
const sut = new EvaluationService(timers, { conditionChange: () => Promise.resolve() }, { mark() {}, remove() {} }, metrics);
const factory = new PointRulesFactory(1);
const registry = new Map();
let rules = 0;
for (let i = 0; i < N; i++) {
  const [type, unit] = TYPES[i % TYPES.length];
  // a row as the pg driver hands it over (fresh strings), interned as PointRegistryService does
  const row = JSON.parse(JSON.stringify({ id: randomUUID(), code: `P-${i}`, name: `测点${i}`, location: null, type, unit, mandatory: i % 3 === 0,
    expectedIntervalS: 60, thresholds: null, gatewayId: gateways[i % gateways.length], enterpriseId: enterprises[i % enterprises.length],
    enterpriseName: `某钢铁有限公司${i % enterprises.length}`, regionCode: '320505', maintenanceUntil: null, maintenanceReason: null }));
  const point = { ...row, type: s(row.type), unit: s(row.unit), gatewayId: s(row.gatewayId), enterpriseId: s(row.enterpriseId), enterpriseName: s(row.enterpriseName), regionCode: s(row.regionCode) };
  registry.set(point.id, point);
  const r = factory.rulesFor(point, []).rules;
  rules += r.length;
  sut.adopt(point, r, undefined, Date.now());
}
let ids = [...registry.keys()]; // released before measuring: not part of what alerting keeps
let evaluated = 0;
const t0 = process.hrtime.bigint();
for (let round = 0; round < 2; round++) {
  for (let i = 0; i < N; i += 1000) {
    const now = Date.now();
    const batch = ids.slice(i, i + 1000).map((pointId, k) => ({ pointId, gatewayId: '', enterpriseId: '', ts: now + round, value: 5.25 + ((i + k) % 7) / 3, quality: 'good', receivedAt: now }));
    void sut.onReadings(batch, now);
    evaluated += batch.length;
  }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
ids = [];
const used = heap() - before;
console.log(JSON.stringify({ points: N, rules, heapMB: +(used / 2 ** 20).toFixed(1), bytesPerPoint: Math.round(used / N), timerHeapEntries: timers.size, readingsPerSecond: Math.round(evaluated / seconds) }));

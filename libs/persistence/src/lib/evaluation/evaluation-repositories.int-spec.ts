/** The registry and rule-state queries alerting runs, against real PostgreSQL (own database, migrations). */
import { TICK, defaultRulesFor, initialState, step } from '@sw/rules';
import { createTestDatabase, testUscc, type TestDatabase } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.factory';
import { RegistryService } from '../registry/registry.service';
import { EvaluationRegistryRepository } from './evaluation-registry.repository';
import { RuleStateRepository } from './rule-state.repository';

describe('alerting repositories', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let pointId: string;
  let gatewayId: string;
  let enterpriseId: string;

  beforeAll(async () => {
    db = await createTestDatabase('evaluation_repos');
    ds = await createDataSource({ url: db.url }).initialize();
    const registry = new RegistryService(ds);
    enterpriseId = (await registry.createEnterprise({ name: '某钢铁有限公司', uscc: testUscc(802), regionCode: '320505', riskCategories: ['steel'] })).id;
    gatewayId = (await registry.createGateway(enterpriseId, { code: 'REPO-GW', protocol: 'mqtt' })).gateway.id;
    pointId = (await registry.createPoint(gatewayId, { code: 'CO-01', type: 'co', name: '一氧化碳', mandatory: true, expectedIntervalS: 30, thresholds: { high: { yellow: 30 } } })).id;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  describe(EvaluationRegistryRepository.name, () => {
    it('loads points with their enterprise, region and maintenance window', async () => {
      const sut = new EvaluationRegistryRepository(ds);
      await ds.query(`UPDATE points SET maintenance_until = '2030-01-01T00:00:00Z', maintenance_reason = '检修' WHERE id = $1`, [pointId]);
      expect(await sut.points()).toEqual([
        {
          id: pointId, code: 'CO-01', name: '一氧化碳', location: null, type: 'co', unit: 'ppm', mandatory: true, expectedIntervalS: 30,
          thresholds: { high: { yellow: 30 } }, gatewayId, enterpriseId, enterpriseName: '某钢铁有限公司', regionCode: '320505',
          maintenanceUntil: Date.parse('2030-01-01T00:00:00Z'), maintenanceReason: '检修',
        },
      ]);
      expect(await sut.points(['00000000-0000-4000-8000-000000000000'])).toEqual([]);
    });

    it('finds the points a gateway or enterprise change touches', async () => {
      const sut = new EvaluationRegistryRepository(ds);
      expect(await sut.pointIdsFor({ table: 'points', op: 'DELETE', id: 'gone' })).toEqual(['gone']);
      expect(await sut.pointIdsFor({ table: 'gateways', op: 'UPDATE', id: gatewayId })).toEqual([pointId]);
      expect(await sut.pointIdsFor({ table: 'enterprises', op: 'UPDATE', id: enterpriseId })).toEqual([pointId]);
      expect(await sut.pointIdsFor({ table: 'rules', op: 'INSERT', id: 'x' })).toEqual([]);
    });
  });

  describe(RuleStateRepository.name, () => {
    it('upserts and deletes states in one batch and reads them back as they were', async () => {
      const sut = new RuleStateRepository(ds);
      const [threshold, offline] = defaultRulesFor({ id: pointId, type: 'co', unit: 'ppm', mandatory: true, expectedIntervalS: 30 });
      const t = Date.UTC(2026, 10, 28);
      const raised = step(threshold!, initialState(threshold!, t), { ts: t, value: 200 }, t).state;
      const late = step(offline!, initialState(offline!, t), TICK, t + 100_000).state;
      await sut.write([
        { pointId, ruleId: threshold!.id, state: initialState(threshold!, t) },
        { pointId, ruleId: offline!.id, state: late },
      ]);
      await sut.write([
        { pointId, ruleId: threshold!.id, state: raised },
        { pointId, ruleId: offline!.id, state: null },
      ]);
      expect(await sut.load([pointId])).toEqual([{ pointId, ruleId: threshold!.id, state: raised }]);
      expect(await sut.load()).toHaveLength(1);
    });
  });
});

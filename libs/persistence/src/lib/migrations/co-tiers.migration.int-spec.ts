/** The CO tier migration against real PostgreSQL (own database, every migration run). */
import { createTestDatabase, testUscc, type TestDatabase } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.factory';
import { RegistryService } from '../registry/registry.service';
import { CoTiers1765300000000 } from './1765300000000-co-tiers.migration';

describe(CoTiers1765300000000.name, () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('co_tiers');
    ds = await createDataSource({ url: db.url }).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('moves points that carry the old 24/160 ppm (30/200 mg/m³) pair to 24/48/160 and leaves chosen setpoints alone', async () => {
    // docs/domain.md: CO 24 / 48 / 160 ppm; an orange at 160 ppm was above GB/T 50493's second level
    const registry = new RegistryService(ds);
    const ent = await registry.createEnterprise({ name: '迁移测试钢铁', uscc: testUscc(901), regionCode: '320505', riskCategories: ['steel'] });
    const gw = (await registry.createGateway(ent.id, { code: 'MIG-GW', protocol: 'mqtt' })).gateway.id;
    const old = await registry.createPoint(gw, { code: 'CO-1', type: 'co', name: 'a', thresholds: { high: { orange: 160, yellow: 24 }, deadband: 0.5 } });
    const mg = await registry.createPoint(gw, { code: 'CO-2', type: 'co', unit: 'mg/m3', name: 'b', thresholds: { high: { yellow: 30, orange: 200 } } });
    const chosen = await registry.createPoint(gw, { code: 'CO-3', type: 'co', name: 'c', thresholds: { high: { yellow: 20, orange: 160 } } });
    await ds.query(`INSERT INTO rules (name, scope_type, point_type, region_code, definition) VALUES ('co', 'region', 'co', '3205', $1)`, [
      JSON.stringify({ kind: 'threshold', thresholds: { high: { yellow: 24, orange: 160 } } }),
    ]);

    await new CoTiers1765300000000().up(ds.createQueryRunner());

    const rows = (await ds.query(`SELECT code, thresholds FROM points WHERE id = ANY($1::uuid[]) ORDER BY code`, [[old.id, mg.id, chosen.id]])) as { code: string; thresholds: unknown }[];
    expect(rows).toEqual([
      { code: 'CO-1', thresholds: { high: { yellow: 24, orange: 48, red: 160 }, deadband: 0.5 } },
      { code: 'CO-2', thresholds: { high: { yellow: 30, orange: 60, red: 200 } } },
      { code: 'CO-3', thresholds: { high: { yellow: 20, orange: 160 } } },
    ]);
    const [rule] = (await ds.query(`SELECT definition FROM rules`)) as { definition: { thresholds: unknown } }[];
    expect(rule?.definition.thresholds).toEqual({ high: { yellow: 24, orange: 48, red: 160 } });
  });
});

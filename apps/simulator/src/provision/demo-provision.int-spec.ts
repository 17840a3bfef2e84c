/**
 * The demo district's ledger against real PostgreSQL (own database, the migrations): provisioned
 * with every ledger field and its people on first start, and filled in once for a district
 * provisioned before the ledger had them.
 */
import 'reflect-metadata';
import { createDataSource, LedgerRepository, PersonnelRepository } from '@sw/persistence';
import { createTestDatabase, type TestDatabase } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { DEMO_DISTRICT } from './demo-district.constants';
import { DEMO_LEDGER } from './demo-ledger.constants';
import { DemoProvisionService } from './demo-provision.service';

describe(DemoProvisionService.name, () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('demo_ledger');
    ds = await createDataSource({ url: db.url, poolSize: 2 }).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const ledger = async () => new Map((await new LedgerRepository(ds).list({ kind: 'all' }, '3205', '2026-06-30')).map((r) => [r.name, r]));

  // issue 20: the demo district has full ledger data, so the enterprise page shows it on first start
  it('provisions every demo enterprise with its full ledger and its three people in the personnel history', async () => {
    const sut = new DemoProvisionService(ds);
    await sut.provision();
    const records = await ledger();
    expect(records.size).toBe(DEMO_DISTRICT.length);
    for (const e of DEMO_DISTRICT) {
      const r = records.get(e.name)!;
      const { processFlags, ...fields } = DEMO_LEDGER[e.serial]!;
      expect(r).toMatchObject(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
      expect(r.processFlags).toMatchObject(processFlags ?? {});
      const history = await new PersonnelRepository(ds).history(r.id);
      expect(history.map((x) => x.role).sort()).toEqual(['actual_controller', 'principal', 'safety_officer']);
    }
    const inBounds: { n: number }[] = await ds.query(
      `SELECT count(*)::int AS n FROM enterprises e JOIN region_bounds b ON e.region_code LIKE b.region_code || '%'
        WHERE e.longitude BETWEEN b.min_longitude AND b.max_longitude AND e.latitude BETWEEN b.min_latitude AND b.max_latitude`,
    );
    expect(inBounds[0]!.n).toBe(DEMO_DISTRICT.length);
  });

  it('fills the ledger in once for a district provisioned before it had these fields; a second run changes nothing', async () => {
    await ds.query(`UPDATE enterprises SET address = NULL, industry = NULL, processes = '[]'`);
    await ds.query(`DELETE FROM enterprise_contacts`);
    await new DemoProvisionService(ds).provision();
    const records = await ledger();
    for (const e of DEMO_DISTRICT) expect(records.get(e.name)).toMatchObject({ address: DEMO_LEDGER[e.serial]!.address, principalName: DEMO_LEDGER[e.serial]!.principalName });
    const before: { n: number }[] = await ds.query(`SELECT count(*)::int AS n FROM enterprise_personnel_history`);
    await new DemoProvisionService(ds).provision();
    expect(await ds.query(`SELECT count(*)::int AS n FROM enterprise_personnel_history`)).toEqual(before);
  });
});

/**
 * ContactsRepository against real PostgreSQL (own database, migrations): each replace is one
 * transaction, officers keep their order, and a change of an enterprise's people is kept in the
 * ledger's personnel history.
 */
import { createTestDatabase, testUscc, type TestDatabase } from '@sw/testing';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../data-source.factory';
import { RegistryService } from '../registry/registry.service';
import { ContactsRepository, type ContactPerson } from './contacts.repository';

const person = (name: string, phone: string | null = null): ContactPerson => ({ name, phone, wecomRobotToken: null, wechatOpenid: null });

describe(ContactsRepository.name, () => {
  let db: TestDatabase;
  let ds: DataSource;
  let sut: ContactsRepository;
  let enterpriseId: string;
  const userId = '00000000-0000-4000-8000-0000000000c1';

  beforeAll(async () => {
    db = await createTestDatabase('contacts_repo');
    ds = await createDataSource({ url: db.url, poolSize: 3 }).initialize();
    sut = new ContactsRepository(ds);
    enterpriseId = (await new RegistryService(ds).createEnterprise({ name: '联系人测试', uscc: testUscc(904), regionCode: '320505', riskCategories: ['steel'] })).id;
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('replaces the safety officer and the principal, and keeps each change in the personnel history', async () => {
    await sut.replaceEnterpriseContacts(enterpriseId, { safety_officer: { ...person('张安全', '13900001111'), wecomRobotToken: 'a1b2c3d4-robot' }, principal: person('李负责', '13900002222') }, userId);
    expect(await sut.enterpriseContacts(enterpriseId)).toEqual(
      new Map([
        ['safety_officer', { name: '张安全', phone: '13900001111', wecomRobotToken: 'a1b2c3d4-robot', wechatOpenid: null }],
        ['principal', { name: '李负责', phone: '13900002222', wecomRobotToken: null, wechatOpenid: null }],
      ]),
    );
    await sut.replaceEnterpriseContacts(enterpriseId, { safety_officer: person('张安全', '13900001111'), principal: null }, userId);
    expect([...(await sut.enterpriseContacts(enterpriseId)).keys()]).toEqual(['safety_officer']);
    const history: { role: string; name: string; previous_name: string | null; source: string }[] = await ds.query(
      `SELECT role, name, previous_name, source FROM enterprise_personnel_history WHERE enterprise_id = $1 ORDER BY recorded_at, role`,
      [enterpriseId],
    );
    // the second replace changed nobody's name or phone: no new entry
    expect(history.filter((h) => h.source === 'contacts').map((h) => [h.role, h.name])).toEqual(
      expect.arrayContaining([
        ['safety_officer', '张安全'],
        ['principal', '李负责'],
      ]),
    );
    expect(history.filter((h) => h.source === 'contacts')).toHaveLength(2);
  });

  it('duty officers of a region in their order; a replace drops the old list', async () => {
    await sut.replaceDutyOfficers('320505', [person('值班一', '13700000001'), person('值班二', '13700000002')]);
    await sut.replaceDutyOfficers('3205', [person('市值班')]);
    await sut.replaceDutyOfficers('320505', [person('值班二', '13700000002'), person('值班三', '13700000003')]);
    expect((await sut.dutyOfficers('320505')).map((p) => p.name)).toEqual(['值班二', '值班三']);
    expect((await sut.dutyOfficers('3205')).map((p) => p.name)).toEqual(['市值班']);
  });

  it('industry departments per category, replaced together', async () => {
    await sut.replaceIndustryDepartments('320505', [
      { category: 'steel', department: '区工业和信息化局', ...person('王科长', '13500000001') },
      { category: 'metal_dust', department: '区应急管理局', ...person('赵科长', '13500000002') },
    ]);
    expect(await sut.industryDepartments('320505')).toEqual([
      { category: 'metal_dust', department: '区应急管理局', name: '赵科长', phone: '13500000002', wecomRobotToken: null, wechatOpenid: null },
      { category: 'steel', department: '区工业和信息化局', name: '王科长', phone: '13500000001', wecomRobotToken: null, wechatOpenid: null },
    ]);
    await sut.replaceIndustryDepartments('320505', []);
    expect(await sut.industryDepartments('320505')).toEqual([]);
  });
});

/**
 * Issue 20, the basic-information ledger (基础信息台账), against real parts: PostgreSQL (own
 * database, the migrations), Debian's Mosquitto, a real influxd; the api in-process; files written
 * and read with exceljs. Every field through REST, export and import; personnel changes the
 * enterprise reports and a regulator accepts; the data-quality view of a constructed ledger.
 */
import 'reflect-metadata';
import { TestServices, testUscc } from '@sw/testing';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { api, type ApiHarness, getFile, startApiHarness, userToken } from '../testing/api-test.factory';
import { fullLedgerInput } from '../testing/ledger.factory';
import { LEDGER_CONTENT_TYPES } from './ledger-file.codec';

type Body = Record<string, unknown>;
const LEDGER_KEYS = Object.keys(fullLedgerInput());

describe('the basic-information ledger (issue 20)', () => {
  let services: TestServices;
  let h: ApiHarness;
  let regulator: string; // 3205

  const download = (path: string, token = h.adminToken) => getFile(h, path, token);
  const upload = (body: Buffer, type: string, token = h.adminToken) =>
    request(h.baseUrl).post('/api/v1/enterprises/import').set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);
  const ledgerOf = (b: Body) => Object.fromEntries(LEDGER_KEYS.map((k) => [k, b[k]]));

  beforeAll(async () => {
    services = await TestServices.start('api_ledger_fields', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
    regulator = await userToken(h, { username: 'reg-3205', role: 'regulator', regionCode: '3205' });
  });

  afterAll(() => services?.stop());

  beforeEach(async () => {
    await h.ds.query('DELETE FROM enterprises');
  });

  it('an enterprise created with every field round-trips through REST, XLSX export and import unchanged', async () => {
    const input = fullLedgerInput();
    const created = await api(h, regulator).post('/enterprises', input);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const status = await api(h, regulator).patch(`/enterprises/${id}`, { status: 'suspended', effectiveDate: '2026-01-05', statusReason: '停产整顿' });
    expect(status.status).toBe(200);
    const read = (await api(h).get(`/enterprises/${id}`)).body as Body;
    expect(ledgerOf(read)).toEqual({ ...input, status: 'suspended' });
    // by effective date: the closure-style correction dated before the registration row still holds today
    expect(read['statusHistory']).toEqual([
      expect.objectContaining({ status: 'suspended', effectiveDate: '2026-01-05', reason: '停产整顿' }),
      expect.objectContaining({ status: 'operating', reason: null }),
    ]);

    const book = await download('/enterprises/export?format=xlsx');
    expect(book.status).toBe(200);
    const wb = new Workbook();
    await wb.xlsx.load(book.body as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const cell = (h1: string) => sheet.getRow(2).getCell(header.indexOf(h1) + 1).text;
    expect([cell('经营状态'), cell('状态生效日期'), cell('状态变更原因'), cell('所属行业'), cell('浇铸炉型式'), cell('实际控制人')]).toEqual(['停产', '2026-01-05', '停产整顿', '有色', '固定式', '王立新']);

    // unchanged on import over itself; into an empty ledger the same enterprise comes back
    expect((await upload(book.body as Buffer, LEDGER_CONTENT_TYPES.xlsx)).body).toMatchObject({ status: 'done', counts: { created: 0, updated: 0, unchanged: 1 } });
    await h.ds.query('DELETE FROM enterprises');
    expect((await upload(book.body as Buffer, LEDGER_CONTENT_TYPES.xlsx)).body).toMatchObject({ status: 'done', counts: { created: 1 } });
    const list = await api(h).get('/enterprises');
    const again = (await api(h).get(`/enterprises/${list.body.items[0].id}`)).body as Body;
    expect(ledgerOf(again)).toEqual({ ...input, status: 'suspended' });
    expect(((await download('/enterprises/export?format=csv')).body as Buffer).toString()).toContain('停产整顿');
  });

  // issue 20: the import reports row and column of every bad cell; nothing imported when a row is bad
  it('a bad cell is reported by sheet row, column letter and header; nothing is imported', async () => {
    const good = fullLedgerInput({ uscc: testUscc(1) });
    const wb = new Workbook();
    const ws = wb.addWorksheet('台账');
    const headers = ['企业名称', '统一社会信用代码', '行政区划代码', '风险类别', '所属行业', '经度', '纬度', '坐标系', '液氨存量（kg）', '三同时项目（名称|设计|审查|验收）'];
    ws.addRow(headers);
    ws.addRow([good['name'], testUscc(1), '320506', '金属粉尘', '有色', '120.5', '31.2', 'GCJ-02', '', '']);
    ws.addRow(['乙', testUscc(2), '320506', '金属粉尘', '化工', '120.5', '31.2', 'GCJ-02', '800', '扩建|2025-03-01|2025-02-01|']);
    const res = await upload(Buffer.from(await wb.xlsx.writeBuffer()), LEDGER_CONTENT_TYPES.xlsx);
    expect(res.status).toBe(422);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({ line: 3, uscc: testUscc(2) });
    expect(res.body.errors[0].cells.map((c: { column: string; header: string }) => `${c.column} ${c.header}`).sort()).toEqual(['E 所属行业', 'I 液氨存量（kg）', 'J 三同时项目（名称|设计|审查|验收）']);
    expect((await api(h).get('/enterprises')).body.total).toBe(0);
  });

  // issue 20: a personnel change the enterprise reports applies when a regulator accepts it
  it('a personnel change submitted by the enterprise user shows after the regulator accepts it, the old value in history', async () => {
    const id = (await api(h, regulator).post('/enterprises', fullLedgerInput())).body.id as string;
    const ent = await userToken(h, { username: `ent-${id.slice(0, 8)}`, role: 'enterprise', enterpriseId: id });
    expect((await api(h, ent).patch(`/enterprises/${id}`, { principalName: '赵新' })).status).toBe(403); // not directly
    const submitted = await api(h, ent).post(`/enterprises/${id}/personnel-changes`, { role: 'principal', name: '赵新', phone: '13600004444', effectiveDate: '2026-11-01', note: '董事会决议' });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ state: 'pending', role: 'principal', name: '赵新' });
    expect((await api(h, ent).get(`/enterprises/${id}`)).body).toMatchObject({ principalName: '王建国', personnelChanges: [{ id: submitted.body.id, state: 'pending' }] });

    expect((await api(h, ent).post(`/personnel-changes/${submitted.body.id}/accept`)).status).toBe(403); // not its own
    const other = await userToken(h, { username: 'reg-3201', role: 'regulator', regionCode: '3201' });
    expect((await api(h, other).post(`/personnel-changes/${submitted.body.id}/accept`)).status).toBe(404); // out of its region
    const accepted = await api(h, regulator).post(`/personnel-changes/${submitted.body.id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: 'accepted', decidedAt: expect.any(String) });
    expect((await api(h, regulator).post(`/personnel-changes/${submitted.body.id}/reject`, { reason: 'x' })).status).toBe(409); // decided once

    const after = (await api(h, ent).get(`/enterprises/${id}`)).body as Body;
    expect(after).toMatchObject({ principalName: '赵新', principalPhone: '13600004444' });
    const history = after['personnelHistory'] as Body[];
    expect(history.filter((x) => x['role'] === 'principal')).toEqual([
      expect.objectContaining({ name: '王建国', previousName: null, source: 'registry' }),
      expect.objectContaining({ name: '赵新', phone: '13600004444', previousName: '王建国', previousPhone: '13800001111', effectiveDate: '2026-11-01', source: 'enterprise_request', acceptedBy: expect.any(String) }),
    ]);

    const rejected = await api(h, ent).post(`/enterprises/${id}/personnel-changes`, { role: 'actual_controller', name: '钱某' });
    expect((await api(h, regulator).post(`/personnel-changes/${rejected.body.id}/reject`, { reason: '无工商变更材料' })).body).toMatchObject({ state: 'rejected', decisionReason: '无工商变更材料' });
    expect((await api(h, ent).get(`/enterprises/${id}`)).body).toMatchObject({ actualControllerName: '王立新' });
    // the notification contacts are the same people: a change there is kept in the history too
    await api(h, regulator).put(`/enterprises/${id}/contacts`, { safetyOfficer: { name: '孙安全', phone: '13500005555' }, principal: { name: '赵新', phone: '13600004444' } });
    const viaContacts = ((await api(h).get(`/enterprises/${id}`)).body as Body)['personnelHistory'] as Body[];
    expect(viaContacts.filter((x) => x['source'] === 'contacts')).toEqual([expect.objectContaining({ role: 'safety_officer', name: '孙安全', previousName: '李安全' })]);
    const audit: { action: string }[] = await h.ds.query(`SELECT action FROM audit_log WHERE action LIKE 'enterprise.personnel.%' ORDER BY 1`);
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['enterprise.personnel.submit', 'enterprise.personnel.accept', 'enterprise.personnel.reject']));
  });

  // issue 20: the data-quality view lists exactly the constructed problems
  it('the data-quality view lists exactly the constructed problems of a seeded ledger, and exports them', async () => {
    const seed = async (n: number, over: Body) => (await api(h).post('/enterprises', fullLedgerInput({ uscc: testUscc(100 + n), name: `企业${n}`, ...over }))).body as Body;
    const clean = { riskCategories: ['steel'], processFlags: {}, dustKinds: [], dustWorkers: null, standardizationRevokedOn: null };
    await seed(1, clean); // no problem
    await seed(2, { ...clean, address: null, safetyOfficerPhone: null }); // missing fields
    await seed(3, { ...clean, riskCategories: ['wood_dust'], dustKinds: ['木粉'], dustWorkers: null }); // dust workers unknown
    await seed(4, { ...clean, standardizationValidUntil: '2026-01-31' }); // expired
    await seed(5, { ...clean, riskCategories: ['aluminum_casting'], processFlags: { deepWellCasting: true, castingFurnace: 'fixed' } }); // equipment
    await seed(6, { ...clean, longitude: 116.4, latitude: 39.9 }); // in Beijing
    const closed = await seed(7, { ...clean, address: null, longitude: 116.4, latitude: 39.9 });
    await api(h).patch(`/enterprises/${closed['id'] as string}`, { status: 'closed', effectiveDate: '2026-02-01', statusReason: '关停取缔' });

    const res = await api(h, regulator).get('/ledger/quality?asOf=2026-06-30');
    expect(res.status).toBe(200);
    const lists = Object.fromEntries((res.body.checks as { check: string; count: number; items: { name: string }[] }[]).map((c) => [c.check, [c.count, c.items.map((i) => i.name)]]));
    expect(lists).toEqual({
      missing_fields: [1, ['企业2']],
      unknown_dust_workers: [1, ['企业3']],
      standardization_expired: [1, ['企业4']],
      banned_casting_equipment: [1, ['企业5']],
      coordinates_outside: [1, ['企业6']],
    });
    const csv = ((await download('/ledger/quality?asOf=2026-06-30&format=csv', regulator)).body as Buffer).toString('utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 5);
    const xlsx = await download('/ledger/quality?asOf=2026-06-30&format=xlsx', regulator);
    expect(xlsx.headers['content-type']).toBe(LEDGER_CONTENT_TYPES.xlsx);
    const ent = await userToken(h, { username: 'ent-quality', role: 'enterprise', enterpriseId: closed['id'] as string });
    expect((await api(h, ent).get('/ledger/quality')).status).toBe(403);
  });
});

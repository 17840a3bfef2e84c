/**
 * Issue 18 item 7 (exports and imports) against real parts: PostgreSQL (own database), Debian's
 * Mosquitto, a real influxd; the api in-process; files built with exceljs, csv-parse and by hand
 * (testing/zip.factory) for the hostile ones.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { TestServices, testUscc } from '@sw/testing';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { LEDGER_CONTENT_TYPES } from '../ledger/ledger-file.codec';
import { api, type ApiHarness, getFile, startApiHarness, userToken } from '../testing/api-test.factory';
import { declaredBomb } from '../testing/zip.factory';

const FORMULA = '=HYPERLINK("http://x","y")';
const HEADER = '企业名称,统一社会信用代码,行政区划代码,风险类别';
const csvOf = (from: number, n: number) => Buffer.from([HEADER, ...Array.from({ length: n }, (_, i) => `导入企业${from + i},${testUscc(from + i)},320505,steel`)].join('\n'));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('ledger files: formula cells, hostile uploads, one import per user, audit', () => {
  let services: TestServices;
  let h: ApiHarness;

  beforeAll(async () => {
    services = await TestServices.start('api_files', { mosquitto: true, influx: true });
    h = await startApiHarness(services, { IMPORT_MAX_ROWS: '1000' });
  });

  afterAll(() => services?.stop());

  const upload = (body: Buffer, type: string, token = h.adminToken) =>
    request(h.baseUrl).post('/api/v1/enterprises/import').set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);
  const download = (format: string) => getFile(h, `/enterprises/export?format=${format}`);
  const audit = async (action: string): Promise<{ outcome: string; target_id: string | null; data: Record<string, unknown> }[]> =>
    h.ds.query(`SELECT outcome, target_id, data FROM audit_log WHERE action = $1 ORDER BY id`, [action]);
  /** The api answers and imports normally (after a hostile upload). */
  const stillUp = async (from: number) => {
    expect((await api(h).get('/enterprises?pageSize=1')).status).toBe(200);
    expect((await upload(csvOf(from, 2), 'text/csv')).body).toMatchObject({ status: 'done', imported: 2 });
  };

  // issue 18 acceptance: the formula name exports neutralised
  it(`an enterprise named ${FORMULA} exports as text in CSV and XLSX and imports back unchanged; exports are audited`, async () => {
    const created = await api(h).post('/enterprises', { name: FORMULA, uscc: testUscc(1), regionCode: '320505', riskCategories: ['steel'] });
    expect(created.status).toBe(201);

    const csv = await download('csv');
    expect(csv.status).toBe(200);
    const rows = parse(csv.body as Buffer, { bom: true }) as string[][];
    expect(rows[1]?.[0]).toBe(`'${FORMULA}`);
    expect(rows[1]?.[1]).toBe(testUscc(1));

    const xlsx = await download('xlsx');
    const wb = new Workbook();
    await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const cell = wb.worksheets[0]!.getRow(2).getCell(1);
    expect([cell.value, cell.formula]).toEqual([`'${FORMULA}`, undefined]);

    expect((await upload(csv.body as Buffer, 'text/csv')).body).toMatchObject({ status: 'done', counts: { created: 0, updated: 0, unchanged: 1 } });
    expect((await upload(xlsx.body as Buffer, LEDGER_CONTENT_TYPES.xlsx)).body).toMatchObject({ status: 'done', counts: { unchanged: 1 } });
    expect((await api(h).get(`/enterprises/${created.body.id}`)).body.name).toBe(FORMULA);

    expect(await audit('ledger.export')).toEqual([
      { outcome: 'ok', target_id: null, data: { format: 'csv', regionCode: null, rows: 1, bytes: (csv.body as Buffer).length, sha256: sha256(csv.body as Buffer) } },
      { outcome: 'ok', target_id: null, data: { format: 'xlsx', regionCode: null, rows: 1, bytes: (xlsx.body as Buffer).length, sha256: sha256(xlsx.body as Buffer) } },
    ]);
  });

  // issue 18 acceptance: a zip bomb is refused with a clear error and the api stays up
  it('an XLSX of a few KiB declaring a 4 GiB sheet is refused (413) before anything inflates it', async () => {
    const bomb = declaredBomb();
    expect(bomb.length).toBeLessThan(10_000);
    const res = await upload(bomb, LEDGER_CONTENT_TYPES.xlsx);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large', message: expect.stringMatching(/^the XLSX file is refused: it unpacks to more than 128 MiB/) });
    await stillUp(100);
  });

  // issue 18 acceptance: a far-corner cell is refused with a clear error and the api stays up
  it('an XLSX with a cell at XFD1048576 is refused (413), not looped', async () => {
    const wb = new Workbook();
    const ws = wb.addWorksheet('台账');
    ws.addRow(HEADER.split(','));
    ws.addRow(['远角企业', testUscc(200), '320505', 'steel']);
    ws.getCell('XFD1048576').value = 'x';
    const res = await upload(Buffer.from(await wb.xlsx.writeBuffer()), LEDGER_CONTENT_TYPES.xlsx);
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/sheet sheet1\.xml reaches row 1048576 \(at most 1000 data rows and a header are read\)/);
    await stillUp(300);
  });

  it('a CSV over IMPORT_MAX_ROWS is refused with the reason; one over IMPORT_MAX_BYTES answers 413', async () => {
    const res = await upload(csvOf(1000, 1001), 'text/csv');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('the CSV file has more than 1000 data rows');
    const big = await upload(Buffer.alloc(33 * 1024 * 1024, 0x61), 'text/csv');
    expect(big.status).toBe(413);
    expect(big.body.message).toBe('the file is larger than 33554432 bytes (IMPORT_MAX_BYTES)');
    await stillUp(400);
  });

  it('a second import by the same user while one runs is refused (409); another user may import; every import is audited', async () => {
    const file = csvOf(500, 3);
    const before = (await audit('ledger.import')).length;
    // the first import: headers and half the file sent, the rest held back, so it stays running
    const first = http.request(`${h.baseUrl}/api/v1/enterprises/import`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.adminToken}`, 'Content-Type': 'text/csv', 'Content-Length': file.length },
    });
    const answered = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      first.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown> }));
      });
      first.on('error', reject);
    });
    first.write(file.subarray(0, 20));
    // signal: the api holds the admin's slot once an empty upload answers 409 instead of 400
    let probe = await upload(Buffer.alloc(0), 'text/csv');
    for (let i = 0; i < 200 && probe.status === 400; i++) probe = await upload(Buffer.alloc(0), 'text/csv');
    expect(probe.status).toBe(409);

    const second = await upload(csvOf(600, 2), 'text/csv');
    expect(second.status).toBe(409);
    expect(second.body.message).toBe('an import of yours is still running: wait until it has finished (GET /imports/{id}) before starting another');
    const reg = await userToken(h, { username: 'reg-files', role: 'regulator', regionCode: '320505' });
    expect((await upload(csvOf(700, 2), 'text/csv', reg)).body).toMatchObject({ status: 'done', imported: 2 });

    first.end(file.subarray(20));
    expect(await answered).toMatchObject({ status: 200, body: { status: 'done', imported: 3 } });
    expect((await upload(csvOf(800, 1), 'text/csv')).status).toBe(200); // the slot is free again

    const rows = (await audit('ledger.import')).slice(before);
    const finished = rows.find((r) => r.data['sha256'] === sha256(file));
    expect(finished).toMatchObject({ outcome: 'ok', data: { format: 'csv', bytes: file.length, status: 'done', total: 3, valid: 3, invalid: 0, imported: 3, counts: { created: 3 } } });
    expect(rows.filter((r) => r.data['status'] === 409).length).toBeGreaterThanOrEqual(2);
    const refused = (await audit('ledger.import')).filter((r) => r.data['status'] === 413);
    expect(refused.map((r) => r.data['reason'])).toEqual(expect.arrayContaining([expect.stringMatching(/unpacks to more than/), expect.stringMatching(/XFD|row 1048576/)]));
  });
});

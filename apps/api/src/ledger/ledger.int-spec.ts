/**
 * Ledger import and export against real parts: PostgreSQL (own database), Debian's Mosquitto, a
 * real influxd; the api in-process; files built and read with exceljs and csv-parse.
 */
import 'reflect-metadata';
import { TestServices, testUscc, waitFor } from '@sw/testing';
import { Workbook } from 'exceljs';
import request from 'supertest';
import { api, type ApiHarness, getFile, startApiHarness, userToken } from '../testing/api-test.factory';
import { LEDGER_CONTENT_TYPES } from './ledger-file.codec';
import { GRADE_LABELS, LEDGER_LAYOUT, RISK_CATEGORY_LABELS, STATUS_LABELS } from './ledger-layout.constants';

const HEADER = ['企业名称', '统一社会信用代码', '行政区划代码', '风险类别', '涉粉作业人数', '从业人数', '标准化等级', '主要负责人', '主要负责人电话', '安全管理人员', '安全管理人员电话', '经营状态', '状态生效日期'];

/** Row i of a generated ledger (region 320505 or 320506). */
function row(i: number): string[] {
  const status = i % 50 === 0 ? 'suspended' : 'operating';
  return [
    `测试企业${i}号`,
    testUscc(100_000 + i),
    i % 2 ? '320505' : '320506',
    i % 3 ? 'metal_dust' : 'steel;aluminum_casting',
    String(i % 60),
    String(100 + i),
    ['level_1', 'level_2', 'level_3', ''][i % 4] as string,
    `张${i}`,
    `1380000${String(i).padStart(4, '0')}`,
    i % 5 ? `李${i}` : '',
    i % 5 ? `1390000${String(i).padStart(4, '0')}` : '',
    status,
    status === 'suspended' ? '2025-03-01' : '2024-01-15',
  ];
}

async function xlsx(rows: string[][]): Promise<Buffer> {
  const wb = new Workbook();
  const ws = wb.addWorksheet('台账');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('enterprise ledger import / export', () => {
  let services: TestServices;
  let h: ApiHarness;

  const upload = (body: Buffer, type: string, query = '', token = h.adminToken) =>
    request(h.baseUrl).post(`/api/v1/enterprises/import${query}`).set('Authorization', `Bearer ${token}`).set('Content-Type', type).send(body);
  const download = (format: string, token = h.adminToken) => getFile(h, `/enterprises/export?format=${format}`, token);

  beforeAll(async () => {
    services = await TestServices.start('api_ledger', { mosquitto: true, influx: true });
    h = await startApiHarness(services);
  });

  afterAll(() => services?.stop());

  const rows = Array.from({ length: 5000 }, (_, i) => row(i + 1));
  const bad = rows.map((r) => [...r]);
  bad[99]![1] = '91110108551385082A'; // sheet row 101: wrong check character
  bad[1999]![2] = '32050'; // row 2001: five-digit region
  bad[4499]![3] = 'metal_dust;coal'; // row 4501: unknown category

  // issue 6 acceptance: a 5,000-row XLSX with 3 bad rows reports exactly those 3 and imports nothing
  it('all-or-nothing (default): reports exactly the 3 bad rows with line and reason, imports nothing', async () => {
    const res = await upload(await xlsx(bad), LEDGER_CONTENT_TYPES.xlsx);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, status: 'rejected', total: 5000, valid: 4997, invalid: 3, imported: 0 });
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([101, 2001, 4501]);
    expect(res.body.errors[0].reasons[0]).toMatch(/uscc/);
    expect(res.body.errors[1].reasons[0]).toMatch(/regionCode/);
    expect(res.body.errors[2].reasons[0]).toMatch(/riskCategories/);
    expect((await api(h).get('/enterprises?pageSize=1')).body.total).toBe(0);
  });

  it('valid-only: imports the 4,997 valid rows; the job is readable at /imports/{id}', async () => {
    const res = await upload(await xlsx(bad), LEDGER_CONTENT_TYPES.xlsx, '?mode=valid-only');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'done', phase: 'finished', total: 5000, processed: 4997, imported: 4997, invalid: 3, counts: { created: 4997, updated: 0, unchanged: 0 } });
    expect((await api(h).get('/enterprises?pageSize=1')).body.total).toBe(4997);
    expect((await api(h).get(`/imports/${res.body.id}`)).body).toMatchObject({ id: res.body.id, status: 'done', imported: 4997 });
    const other = await userToken(h, { username: 'reg-ledger', role: 'regulator', regionCode: '3205' });
    expect((await api(h, other).get(`/imports/${res.body.id}`)).status).toBe(404); // another user's job
  });

  it('async: 202 at once, progress (processed of total) until done', async () => {
    const res = await upload(await xlsx(rows), LEDGER_CONTENT_TYPES.xlsx, '?async=true');
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'running' });
    let job = res.body as { status: string; processed: number; total: number; counts: unknown };
    const progress: { processed: number; total: number }[] = [];
    await waitFor(async () => {
      job = (await api(h).get(`/imports/${res.body.id}`)).body;
      progress.push({ processed: job.processed, total: job.total });
      return job.status !== 'running';
    }, { what: 'the import job to finish', timeoutMs: 110_000, intervalMs: 100 }); // within the test's own time-out
    for (const p of progress) expect(p.processed).toBeLessThanOrEqual(Math.max(p.total, 0) || 5000);
    expect(job).toMatchObject({ status: 'done', total: 5000, processed: 5000, counts: { created: 3, updated: 0, unchanged: 4997 } });
  });

  // issue 6 acceptance: export then import round-trips unchanged
  it('CSV export (UTF-8 with BOM) and XLSX export round-trip unchanged', async () => {
    const csv = await download('csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.split('\r\n')[0]).toBe(`\ufeff${LEDGER_LAYOUT.map((c) => c.header).join(',')}`); // issue 20: the one layout
    expect(text.split('\r\n')).toHaveLength(5000 + 2); // header, 5000 rows, final newline

    const again = await upload(csv.body as Buffer, 'text/csv');
    expect(again.body).toMatchObject({ status: 'done', counts: { created: 0, updated: 0, unchanged: 5000 } });
    expect(((await download('csv')).body as Buffer).equals(csv.body as Buffer)).toBe(true);

    const book = await download('xlsx');
    expect(book.headers['content-type']).toBe(LEDGER_CONTENT_TYPES.xlsx);
    expect((await upload(book.body as Buffer, LEDGER_CONTENT_TYPES.xlsx)).body).toMatchObject({ counts: { created: 0, updated: 0, unchanged: 5000 } });

    // into an empty database: the same file comes back, status history and contacts included
    await h.ds.query('DELETE FROM enterprises');
    expect((await upload(book.body as Buffer, LEDGER_CONTENT_TYPES.xlsx)).body).toMatchObject({ counts: { created: 5000 } });
    expect(((await download('csv')).body as Buffer).equals(csv.body as Buffer)).toBe(true);
    const wb = new Workbook();
    await wb.xlsx.load((await download('xlsx')).body as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    // every cell kept as text, enumerations in the trade's words
    const at = (header: string) => sheet.getRow(2).getCell(LEDGER_LAYOUT.findIndex((c) => c.header === header) + 1).text;
    const words = row(1).map((v, i) => {
      const labels: Record<string, string> = { 3: RISK_CATEGORY_LABELS[v as keyof typeof RISK_CATEGORY_LABELS], 6: GRADE_LABELS[v as keyof typeof GRADE_LABELS], 11: STATUS_LABELS[v as keyof typeof STATUS_LABELS] };
      return labels[i] ?? v;
    });
    expect(HEADER.map(at)).toEqual(words);
  });

  it('a regulator imports only inside its region; bad requests answer 400', async () => {
    const reg = await userToken(h, { username: 'reg-0506', role: 'regulator', regionCode: '320506' });
    const csv = Buffer.from(`${HEADER.join(',')}\n${row(1).join(',')}\n${row(2).join(',')}\n`, 'utf8');
    const res = await upload(csv, 'text/csv', '', reg);
    expect(res.status).toBe(422);
    // row 1 is in 320505 (and the enterprise with that uscc exists there); row 2 is in 320506
    expect(res.body.errors).toEqual([
      {
        line: 2,
        uscc: testUscc(100_001),
        reasons: ['regionCode 320505 is outside your region', `uscc ${testUscc(100_001)} cannot be used`],
        cells: [
          { column: 'C', header: '行政区划代码', reason: 'regionCode 320505 is outside your region' },
          { column: 'B', header: '统一社会信用代码', reason: `uscc ${testUscc(100_001)} cannot be used` },
        ],
      },
    ]);
    expect((await upload(Buffer.from('a,b\n1,2\n'), 'text/csv')).status).toBe(400); // header lacks the columns
    expect((await upload(Buffer.from('not a zip'), LEDGER_CONTENT_TYPES.xlsx)).status).toBe(400);
    expect((await upload(csv, 'application/pdf')).status).toBe(400);
    const entUser = await userToken(h, { username: 'ent-ledger', role: 'enterprise', enterpriseId: (await api(h).get('/enterprises?pageSize=1')).body.items[0].id });
    expect((await download('csv', entUser)).status).toBe(403);
  });
});

/**
 * Enterprise risk grading (分级分类 · 风险预警, docs/domain.md "The closed loop") against real parts:
 * PostgreSQL (own database), Debian's Mosquitto and a real influxd on their own ports, the api
 * in-process. The day is graded by the code alerting's daily job runs (RiskGradingService with the
 * job's lock, only the enterprises without a row for the day) on a test clock; the major hazard is
 * created, confirmed and signed off through REST.
 */
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evidenceImageFactory } from '@sw/hazards';
import { shanghaiDayOf } from '@sw/kpi';
import { GRADING_LOCK, influxQuery, RiskGradingService } from '@sw/persistence';
import { TestServices, testUscc } from '@sw/testing';
import request from 'supertest';
import { api, type ApiHarness, startApiHarness, userToken } from '../testing/api-test.factory';

const DAY = 86_400_000;

interface Part {
  key: string;
  value: number | string | null;
  points: number;
  weight: number;
}
interface Grade {
  enterpriseId: string;
  day: string;
  level: string;
  score: number;
  standardizationVeto: boolean;
  parts: Part[];
}

describe('risk grades', () => {
  let services: TestServices;
  let h: ApiHarness;
  let evidenceDir: string;
  let grading: RiskGradingService;
  let a: string; // 320505, steel, 标准化二级
  let b: string; // 320506, steel, no grade
  let reg1: string;
  let reg2: string;
  let entA: string;
  const t0 = Date.now();
  const day = (n: number) => shanghaiDayOf(t0 + n * DAY);

  /** What the daily job does on day n of the test clock: grade the enterprises without a row for it, as of that moment. */
  const runJob = (n: number) => grading.gradeDay({ day: day(n), asOf: t0 + n * DAY, onlyMissing: true, lockKey: GRADING_LOCK });

  async function enterprise(n: number, regionCode: string, standardizationGrade: string | null): Promise<string> {
    const e = await api(h).post('/enterprises', { name: `钢铁企业${n}`, uscc: testUscc(n), regionCode, riskCategories: ['steel'], standardizationGrade });
    expect(e.status).toBe(201);
    return e.body.id as string;
  }

  const history = async (token: string, id: string) => (await api(h, token).get(`/enterprises/${id}/grades?from=${day(0)}&to=${day(2)}`)).body.items as Grade[];

  beforeAll(async () => {
    services = await TestServices.start('api_grades', { mosquitto: true, influx: true });
    evidenceDir = await mkdtemp(join(tmpdir(), 'sw-evidence-'));
    h = await startApiHarness(services, { EVIDENCE_DIR: evidenceDir });
    grading = new RiskGradingService(h.ds, influxQuery({ url: services.influx.url, database: h.config.INFLUX_DB }));
    a = await enterprise(1, '320505', 'level_2');
    b = await enterprise(2, '320506', null);
    reg1 = await userToken(h, { username: 'reg1', role: 'regulator', regionCode: '3205' });
    reg2 = await userToken(h, { username: 'reg2', role: 'regulator', regionCode: '3205' });
    entA = await userToken(h, { username: 'ent-a', role: 'enterprise', enterpriseId: a });
  });

  afterAll(async () => {
    await services?.stop();
    if (evidenceDir) await rm(evidenceDir, { recursive: true, force: true });
  });

  // docs/domain.md "The closed loop": the level rises the next day because of an open major hazard, falls after sign-off
  it('rises the day after a major hazard is confirmed and falls after its sign-off, keeping the parts of every day', async () => {
    expect(await runJob(0)).toMatchObject({ ran: true, graded: 2 });
    // A: steel 50 × 0.3 = 15; not connected 100 × 0.1 = 10; 标准化二级 25 × 0.1 = 2.5 → 27.5 yellow
    expect((await history(reg1, a)).map((g) => [g.day, g.level, g.score, g.standardizationVeto])).toEqual([[day(0), 'yellow', 27.5, false]]);

    const created = await api(h, reg1).post('/hazards', { source: 'regulator', enterpriseId: a, article: 4, item: 1, description: '操作室位于钢水吊运跨下方' });
    const id = created.body.id as string;
    expect((await api(h, reg1).post(`/hazards/${id}/confirm`, { comment: '属实' })).status).toBe(200);
    // a second run on the same day changes nothing: the job grades a day once
    expect(await runJob(0)).toMatchObject({ ran: true, graded: 0 });

    expect(await runJob(1)).toMatchObject({ ran: true, graded: 2 });
    // + hazards 50 × 0.3 = 15; the veto voids 标准化二级: (100 − 25) × 0.1 = 7.5 → 27.5 + 15 + 7.5 = 50 orange
    const risen = (await history(reg1, a))[1];
    expect([risen?.day, risen?.level, risen?.score, risen?.standardizationVeto]).toEqual([day(1), 'orange', 50, true]);
    expect(risen?.parts.find((p) => p.key === 'hazards')).toMatchObject({ value: 1, points: 50, weight: 0.3 });

    const planned = await api(h, entA).post(`/hazards/${id}/plan`, { measures: '操作室迁出吊运跨', funds: 50000, responsible: '王五', deadline: new Date(t0 + 30 * DAY).toISOString() });
    expect(planned.status).toBe(200);
    const evidence = await request(h.baseUrl)
      .post(`/api/v1/hazards/${id}/evidence`)
      .set('Authorization', `Bearer ${entA}`)
      .field('text', '已迁出')
      .attach('photos', Buffer.from(evidenceImageFactory.jpegWithExif()), { filename: 'moved.jpg', contentType: 'image/jpeg' });
    expect(evidence.status).toBe(200);
    expect((await api(h, reg2).post(`/hazards/${id}/sign-off`, { comment: '复查合格' })).body.status).toBe('signed_off');

    expect(await runJob(2)).toMatchObject({ ran: true, graded: 2 });
    const days = await history(reg1, a);
    expect(days.map((g) => [g.day, g.level, g.standardizationVeto])).toEqual([
      [day(0), 'yellow', false],
      [day(1), 'orange', true],
      [day(2), 'yellow', false],
    ]);
    // every row keeps its five parts with value, points and weight
    for (const g of days) expect(g.parts.map((p) => p.key)).toEqual(['inherent', 'hazards', 'alarms', 'online', 'standardization']);
    expect(days[2]?.parts.find((p) => p.key === 'hazards')).toMatchObject({ value: 0, points: 0 });
  });

  it('a re-run of a day replaces its rows (one row per enterprise per day)', async () => {
    const again = await grading.gradeDay({ day: day(2), asOf: t0 + 2 * DAY, lockKey: GRADING_LOCK });
    expect(again).toMatchObject({ ran: true, graded: 2 });
    const [{ n }] = (await h.ds.query(`SELECT count(*)::int AS n FROM enterprise_risk_grades WHERE day = $1`, [day(2)])) as [{ n: number }];
    expect(n).toBe(2);
    expect((await history(reg1, a)).map((g) => g.level)).toEqual(['yellow', 'orange', 'yellow']);
  });

  it('a second runner holding the lock skips', async () => {
    const qr = h.ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.query(`SELECT pg_advisory_lock($1)`, [GRADING_LOCK]);
      expect(await runJob(2)).toMatchObject({ ran: false, graded: 0 });
    } finally {
      await qr.query(`SELECT pg_advisory_unlock($1)`, [GRADING_LOCK]);
      await qr.release();
    }
  });

  // scoping as for alarms: an enterprise user sees only its own enterprise
  it('an enterprise user reads only its own grades; a regulator its region', async () => {
    const own = await api(h, entA).get('/grades');
    expect(own.status).toBe(200);
    expect(own.body.items.map((g: Grade) => g.enterpriseId)).toEqual([a]);
    expect((await api(h, entA).get(`/enterprises/${b}/grades`)).status).toBe(404);
    expect(await history(entA, a)).toHaveLength(3);
    // by default the last 90 days up to today: the test clock's later days are not there yet
    expect((await api(h, entA).get(`/enterprises/${a}/grades`)).body.items.map((g: Grade) => g.day)).toEqual([day(0)]);

    const reg0506 = await userToken(h, { username: 'reg0506', role: 'regulator', regionCode: '320506' });
    const region = await api(h, reg0506).get('/grades');
    expect(region.body.items.map((g: Grade) => [g.enterpriseId, g.day, g.level])).toEqual([[b, day(2), 'orange']]); // B: steel 15 + not connected 10 + no 标准化 10 = 35
    expect((await api(h, reg0506).get(`/enterprises/${a}/grades`)).status).toBe(404);

    const all = await api(h, reg1).get('/grades?regionCode=3205');
    expect(all.body.counts).toEqual({ red: 0, orange: 1, yellow: 1, blue: 0 });
    expect((await api(h, reg1).get('/grades?level=orange')).body.items.map((g: Grade) => g.enterpriseId)).toEqual([b]);
  });

  it('is in the OpenAPI document under its own tag, apart from alarms', async () => {
    const doc = (await request(h.baseUrl).get('/docs-json')).body as { paths: Record<string, Record<string, { tags: string[] }>> };
    expect(doc.paths['/api/v1/grades']?.['get']?.tags).toEqual(['grades']);
    expect(doc.paths['/api/v1/enterprises/{id}/grades']?.['get']?.tags).toEqual(['grades']);
  });
});

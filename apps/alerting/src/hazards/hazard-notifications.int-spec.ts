/**
 * Hazard notices end to end (docs/domain.md "The closed loop"): real PostgreSQL (own database) and
 * Mosquitto (own port), alerting in-process with a test clock (FakeTimerDriver) driving the overdue
 * sweep, and the local SMS/WeChat vendor servers of `@sw/testing`. The hazard's transitions are
 * committed through `HazardStore` wired exactly as the api wires it (notices in the same transaction).
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { applyHazardAction, type HazardAction, type HazardActor, type HazardSnapshot, type HazardSource, type NewHazard, reportHazard } from '@sw/hazards';
import { AlarmStore, HazardNoticesRepository, HazardStore } from '@sw/persistence';
import { applyConditionChange } from '@sw/rules';
import { AliyunSmsServer, FakeTimerDriver, TencentSmsServer, TestServices, testUscc, vendorEnv, waitFor, WechatMpServer, WecomServer } from '@sw/testing';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { wechatMsgId } from '../notifications/providers/wechat-mp.provider';
import { openDataSource, startAlertingHarness } from '../testing/alerting-harness.factory';
import { seedGateway, seedPoint } from '../testing/internal-bus.factory';
import { HazardEscalationService } from './hazard-escalation.service';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CLIENT = { ip: null, userAgent: 'spec' };
const ENTERPRISE_USER = (enterpriseId: string): HazardActor => ({ id: randomUUID(), username: 'ent', role: 'enterprise', enterpriseId });
const REGULATOR_1: HazardActor = { id: randomUUID(), username: 'reg1', role: 'regulator', enterpriseId: null };
const REGULATOR_2: HazardActor = { id: randomUUID(), username: 'reg2', role: 'regulator', enterpriseId: null };

describe('hazard notices: confirmation and overdue escalation through the outbox', () => {
  let services: TestServices;
  let ds: DataSource;
  let store: HazardStore;
  let app: INestApplication;
  let driver: FakeTimerDriver;
  const aliyun = new AliyunSmsServer();
  const tencent = new TencentSmsServer();
  const wechat = new WechatMpServer();
  const wecom = new WecomServer(['robot-a']);
  const T0 = Date.now();

  const smsTo = (phone: string) => [...aliyun.deliveries, ...tencent.deliveries].filter((d) => d.to.endsWith(phone));
  const mpTo = (openid: string) => wechat.deliveries.filter((d) => d.to === openid);
  const rows = async (hazardId: string, kind: string) =>
    (await ds.query(`SELECT dedup_key, status, last_error FROM notification_outbox WHERE hazard_id = $1 AND kind = $2 ORDER BY dedup_key`, [hazardId, kind])) as { dedup_key: string; status: string; last_error: string | null }[];
  const settled = (hazardId: string, kind: string, n: number) =>
    waitFor(async () => (await rows(hazardId, kind)).filter((r) => r.status !== 'pending').length === n, { what: `${n} ${kind} rows settled`, timeoutMs: 10_000, intervalMs: 20 });

  /** Moves the test clock to `t` and waits until the sweep that fired on the way has finished. */
  const sweepAt = async (t: number) => {
    const sut = app.get(HazardEscalationService);
    const before = sut.sweeps;
    driver.advanceTo(t);
    await waitFor(() => sut.sweeps > before, { what: 'an overdue sweep', timeoutMs: 5_000, intervalMs: 10 });
  };

  const act = async (h: HazardSnapshot, action: HazardAction, actor: HazardActor, at: number): Promise<HazardSnapshot> => {
    const out = await store.transition(h.id, (cur) => applyHazardAction(cur, action, actor, new Date(at).toISOString()), CLIENT);
    if (!out.ok) throw new Error(`${action.action}: ${out.code} ${out.reason}`);
    return out.hazard;
  };

  /** An enterprise with principal and safety officer on file; the district duty officer of 320505 is shared. */
  const enterprise = async (n: number) => {
    const gw = await seedGateway(ds, testUscc(900 + n), `HZ-GW${n}`);
    await ds.query(
      `INSERT INTO enterprise_contacts (enterprise_id, role, name, phone, wecom_key, wechat_openid) VALUES
         ($1, 'safety_officer', '安全员${n}', '1390000${String(n).padStart(4, '0')}', NULL, 'open-safety-${n}'),
         ($1, 'principal', '负责人${n}', '1380000${String(n).padStart(4, '0')}', NULL, 'open-principal-${n}')`,
      [gw.enterpriseId],
    );
    return gw.enterpriseId;
  };

  const reported = async (enterpriseId: string, at: number): Promise<HazardSnapshot> => {
    const result = reportHazard(
      { id: randomUUID(), enterpriseId, regionCode: '320505', source: 'self_check', article: 11, item: 3, categories: ['metal_dust'], description: '除尘系统未设泄爆装置' },
      ENTERPRISE_USER(enterpriseId),
      new Date(at).toISOString(),
    );
    const out = await store.create(result, CLIENT);
    if (!out.ok) throw new Error(out.reason);
    return out.hazard;
  };

  beforeAll(async () => {
    await Promise.all([aliyun.start(), tencent.start(), wechat.start(), wecom.start()]);
    services = await TestServices.start('hazard_notices', { mosquitto: true });
    ds = await openDataSource(services, 5);
    store = new HazardStore(ds, new HazardNoticesRepository(ds).onEvent); // as apps/api/src/database wires it
    await ds.query(`INSERT INTO duty_officers (region_code, position, name, phone, wechat_openid) VALUES ('320505', 0, '区值班员', '13700000009', 'open-duty-320505')`);
    driver = new FakeTimerDriver(T0);
    const env = {
      ALERTING_MQTT_CLIENT_ID: 'alerting-hazard-notices-spec',
      CONSOLE_BASE_URL: 'http://console.test',
      NOTIFY_POLL_MS: '50',
      HAZARD_ESCALATION_INTERVAL_MS: '60000',
      ...vendorEnv({ aliyun, tencent, wechat, wecom }),
    };
    app = await startAlertingHarness(services, env, { timerDriver: driver });
  });

  afterAll(async () => {
    await services?.stop();
    await Promise.all([aliyun.stop(), tencent.stop(), wechat.stop(), wecom.stop()]);
  });

  // docs/domain.md: on confirmation the principal, actual controller and industry department are notified
  it('a confirmation reaches the principal, the actual controller (safety officer) and the industry department (district duty officer) once each, by SMS and WeChat', async () => {
    const ent = await enterprise(1);
    const h = await reported(ent, T0);
    expect(await rows(h.id, 'hazard_confirmed')).toHaveLength(0); // reporting notifies nobody
    const confirmed = await act(h, { action: 'confirm' }, REGULATOR_1, T0 + 1000);

    // confirming again is refused and queues nothing; a replay of the notice write is a no-op (unique key)
    const again = await store.transition(h.id, (cur) => applyHazardAction(cur, { action: 'confirm' }, REGULATOR_2, new Date(T0 + 2000).toISOString()), CLIENT);
    expect(again).toMatchObject({ ok: false, code: 'invalid_state' });
    await ds.transaction((em) => new HazardNoticesRepository(ds).onEvent(em, confirmed, { event: 'confirmed', at: new Date(T0 + 1000).toISOString() }));

    await settled(h.id, 'hazard_confirmed', 6);
    const confirmedRows = await rows(h.id, 'hazard_confirmed');
    expect(confirmedRows.map((r) => [r.dedup_key.split(':').slice(2).join(':'), r.status])).toEqual([
      ['confirmed:actual_controller:sms', 'sent'],
      ['confirmed:actual_controller:wechat', 'sent'],
      ['confirmed:industry_department#320505.0:sms', 'sent'],
      ['confirmed:industry_department#320505.0:wechat', 'sent'],
      ['confirmed:principal:sms', 'sent'],
      ['confirmed:principal:wechat', 'sent'],
    ]);
    // one request per row at the vendor (not a duplicate its idempotency absorbed)
    for (const r of confirmedRows) expect((r.dedup_key.endsWith(':sms') ? aliyun.requestsFor(r.dedup_key) : wechat.requestsFor(wechatMsgId(r.dedup_key)))).toBe(1);
    for (const phone of ['13800000001', '13900000001', '13700000009']) expect(smsTo(phone)).toHaveLength(1);
    for (const openid of ['open-principal-1', 'open-safety-1', 'open-duty-320505']) expect(mpTo(openid)).toHaveLength(1);
    const mp = mpTo('open-principal-1')[0]?.payload as { url: string; data: Record<string, { value: string }> };
    expect(mp.url).toBe(`http://console.test/#/hazards/${h.id}`);
    expect(mp.data['first']?.value).toContain('【重大事故隐患确认】企业HZ-GW1');
    const sms = smsTo('13800000001')[0];
    expect(JSON.parse(String(sms?.payload['TemplateParam']))).toMatchObject({ enterprise: '企业HZ-GW1', point: '第十一条(三)' });
  });

  it('with an actual controller and an industry department on file, a confirmation reaches each of the three once by SMS and WeChat (the district row, not the city\'s)', async () => {
    const ent = await enterprise(4);
    await ds.query(`INSERT INTO enterprise_contacts (enterprise_id, role, name, phone, wechat_openid) VALUES ($1, 'actual_controller', '实控人4', '13600000004', 'open-controller-4')`, [ent]);
    await ds.query(
      `INSERT INTO industry_departments (region_code, category, department, name, phone, wechat_openid) VALUES
         ('320505', 'metal_dust', '区工业和信息化局', '王科长', '13500000005', 'open-dept-320505'),
         ('3205', 'metal_dust', '市工业和信息化局', '市科长', '13500000006', 'open-dept-3205'),
         ('320505', 'steel', '区发展改革局', '赵科长', '13500000007', 'open-dept-steel')`,
    );
    const h = await reported(ent, T0); // 第十一条(三), categories ['metal_dust']
    await act(h, { action: 'confirm' }, REGULATOR_1, T0 + 1000);
    await settled(h.id, 'hazard_confirmed', 6);
    const confirmedRows = await rows(h.id, 'hazard_confirmed');
    expect(confirmedRows.map((r) => [r.dedup_key.split(':').slice(2).join(':'), r.status])).toEqual([
      ['confirmed:actual_controller:sms', 'sent'],
      ['confirmed:actual_controller:wechat', 'sent'],
      ['confirmed:industry_department#320505.metal_dust:sms', 'sent'],
      ['confirmed:industry_department#320505.metal_dust:wechat', 'sent'],
      ['confirmed:principal:sms', 'sent'],
      ['confirmed:principal:wechat', 'sent'],
    ]);
    for (const r of confirmedRows) expect((r.dedup_key.endsWith(':sms') ? aliyun.requestsFor(r.dedup_key) : wechat.requestsFor(wechatMsgId(r.dedup_key)))).toBe(1);
    for (const phone of ['13800000004', '13600000004', '13500000005']) expect(smsTo(phone)).toHaveLength(1);
    for (const openid of ['open-principal-4', 'open-controller-4', 'open-dept-320505']) expect(mpTo(openid)).toHaveLength(1);
    // the safety officer stands in for the controller only when none is on file; the city and the other category's department are not told
    expect(smsTo('13900000004')).toHaveLength(0);
    for (const phone of ['13500000006', '13500000007']) expect(smsTo(phone)).toHaveLength(0);
    expect(mpTo('open-dept-320505')[0]?.payload).toMatchObject({ data: { first: { value: expect.stringContaining('【重大事故隐患确认】企业HZ-GW4') } } });
    await ds.query(`DELETE FROM industry_departments`); // the other tests use the duty-officer stand-in
  });

  // docs/domain.md: overdue escalates like an unacknowledged red alarm — a day past the deadline, then daily
  it('an overdue hazard escalates to the district duty officer on day +1 and day +2, once each, and not after sign-off', async () => {
    const ent = await enterprise(2);
    let h = await reported(ent, T0);
    h = await act(h, { action: 'confirm' }, REGULATOR_1, T0 + 1000);
    const deadline = T0 + HOUR;
    h = await act(h, { action: 'plan', measures: '加装泄爆片', responsible: '张三', deadline: new Date(deadline).toISOString() }, ENTERPRISE_USER(ent), T0 + 2000);
    await settled(h.id, 'hazard_confirmed', 6);
    const dutyBefore = smsTo('13700000009').length;

    await sweepAt(deadline + DAY - 60_000); // not yet a whole day past
    expect(await rows(h.id, 'hazard_overdue')).toHaveLength(0);

    await sweepAt(deadline + DAY + 60_000); // day +1
    await settled(h.id, 'hazard_overdue', 2);
    expect((await rows(h.id, 'hazard_overdue')).map((r) => [r.dedup_key.split(':').slice(2).join(':'), r.status])).toEqual([
      ['overdue:d1:district_duty_officer#320505.0:sms', 'sent'],
      ['overdue:d1:district_duty_officer#320505.0:wechat', 'sent'],
    ]);
    expect(smsTo('13700000009')).toHaveLength(dutyBefore + 1);
    expect(mpTo('open-duty-320505').at(-1)?.payload).toMatchObject({ data: { first: { value: expect.stringContaining('逾期1天') } } });

    await sweepAt(deadline + DAY + 5 * HOUR); // later the same day: nothing new
    expect(await rows(h.id, 'hazard_overdue')).toHaveLength(2);

    await sweepAt(deadline + 2 * DAY + 60_000); // day +2
    await settled(h.id, 'hazard_overdue', 4);
    expect(smsTo('13700000009')).toHaveLength(dutyBefore + 2);
    expect(mpTo('open-duty-320505').at(-1)?.payload).toMatchObject({ data: { first: { value: expect.stringContaining('逾期2天') } } });
    for (const r of await rows(h.id, 'hazard_overdue')) expect((r.dedup_key.endsWith(':sms') ? aliyun.requestsFor(r.dedup_key) : wechat.requestsFor(wechatMsgId(r.dedup_key)))).toBe(1);

    // rectified late and signed off by another regulator: no day +3
    h = await act(h, { action: 'submit', text: '已加装泄爆片', photos: [] }, ENTERPRISE_USER(ent), deadline + 2 * DAY + HOUR);
    h = await act(h, { action: 'sign_off' }, REGULATOR_2, deadline + 2 * DAY + 2 * HOUR);
    await sweepAt(deadline + 3 * DAY + 60_000);
    expect(await rows(h.id, 'hazard_overdue')).toHaveLength(4);
    expect(smsTo('13700000009')).toHaveLength(dutyBefore + 2);
  });

  it('an escalation queued just before the sign-off is cancelled, not sent', async () => {
    const ent = await enterprise(3);
    let h = await reported(ent, T0);
    h = await act(h, { action: 'confirm' }, REGULATOR_1, T0 + 1000);
    h = await act(h, { action: 'plan', measures: 'm', responsible: 'r', deadline: new Date(T0 + HOUR).toISOString() }, ENTERPRISE_USER(ent), T0 + 2000);
    h = await act(h, { action: 'submit', text: '已整改', photos: [] }, ENTERPRISE_USER(ent), T0 + 3000);
    h = await act(h, { action: 'sign_off' }, REGULATOR_2, T0 + 4000);
    // the row a sweep committed a moment before the sign-off (the sweep itself skips signed-off hazards)
    await ds.query(
      `INSERT INTO notification_outbox (dedup_key, hazard_id, kind, recipient, channel, address, providers, title, body)
       VALUES ($1, $2, 'hazard_overdue', 'district_duty_officer#320505.0', 'sms', $3, '{}', '【重大事故隐患逾期1天】', 'x')`,
      [`hazard:${h.id}:overdue:d1:district_duty_officer#320505.0:sms`, h.id, JSON.stringify({ name: '区值班员', phone: '13700000009', wecomKey: null, wechatOpenid: null, to: '13700000009', params: {}, link: '/' })],
    );
    await settled(h.id, 'hazard_overdue', 1);
    expect((await rows(h.id, 'hazard_overdue')).map((r) => [r.status, r.last_error])).toEqual([['cancelled', 'hazard signed_off before the escalation was sent']]);
    expect([...aliyun.deliveries, ...tencent.deliveries].filter((d) => d.key.startsWith(`hazard:${h.id}:overdue`))).toHaveLength(0);
  });
  // issue 12 acceptance: one hazard from each source through the whole life, with a return and an overdue escalation
  it('one hazard from each source: confirmed, overdue a day, returned once, sign-off by the confirmer refused, signed off; every notice reaches the vendors exactly once', async () => {
    const T1 = T0 + 10 * DAY; // after the other tests' sweeps
    const deadline = T1 + HOUR;
    const REGION = '320506';
    await ds.query(`INSERT INTO duty_officers (region_code, position, name, phone, wechat_openid) VALUES ($1, 0, '区值班员乙', '13700000016', 'open-duty-320506')`, [REGION]);
    const cases: { source: HazardSource; article: number; item: number; category: string; dept: string }[] = [
      { source: 'self_check', article: 11, item: 6, category: 'wood_dust', dept: '13500000011' },
      { source: 'inspection', article: 4, item: 3, category: 'steel', dept: '13500000012' },
      { source: 'regulator', article: 12, item: 1, category: 'ammonia_refrigeration', dept: '13500000013' },
      { source: 'report', article: 13, item: 2, category: 'confined_space', dept: '13500000014' },
      { source: 'alarm', article: 11, item: 3, category: 'metal_dust', dept: '13500000015' },
    ];
    const hazards: { h: HazardSnapshot; n: number; dept: string }[] = [];
    for (const [i, c] of cases.entries()) {
      const n = 20 + i;
      const ent = await enterprise(n);
      await ds.query(`UPDATE enterprises SET region_code = $2 WHERE id = $1`, [ent, REGION]);
      await ds.query(`INSERT INTO industry_departments (region_code, category, department, name, phone, wechat_openid) VALUES ($1, $2, $3, '科长', $4, $5)`, [REGION, c.category, `行业部门${i}`, c.dept, `open-dept-${n}`]);
      let alarm: NewHazard['alarm'] = null;
      if (c.source === 'alarm') {
        const gw = (await ds.query(`SELECT id FROM gateways WHERE enterprise_id = $1`, [ent])) as { id: string }[];
        const subject = { enterpriseId: ent, gatewayId: gw[0]!.id, pointId: await seedPoint(ds, { enterpriseId: ent, gatewayId: gw[0]!.id }, { code: 'CO-01', type: 'co' }), regionCode: REGION };
        const ruleId = `${subject.pointId}:threshold`;
        const ctx = { newAlarmId: randomUUID(), ...subject, pointCode: 'CO-01', ruleId, kind: 'threshold' as const, unit: 'ppm', enterpriseName: `企业HZ-GW${n}`, pointName: '一氧化碳' };
        const raised = await new AlarmStore(ds).transition({ ruleId, subject: subject.pointId }, REGION, (cur) => applyConditionChange(cur, { kind: 'start', tier: 'red', value: 320, at: T1, cause: 'high' }, ctx));
        if (!raised.ok) throw new Error(raised.reason);
        alarm = { alarmId: raised.alarm.id, tier: 'red', value: 320, peakValue: 320, unit: 'ppm', raisedAt: new Date(T1).toISOString(), message: '一氧化碳超限' };
      }
      const by = c.source === 'self_check' ? ENTERPRISE_USER(ent) : REGULATOR_1;
      const out = await store.create(reportHazard({ id: randomUUID(), enterpriseId: ent, regionCode: REGION, source: c.source, article: c.article, item: c.item, categories: [c.category], description: `${c.source} 隐患`, alarm }, by, new Date(T1).toISOString()), CLIENT);
      if (!out.ok) throw new Error(out.reason);
      let h = await act(out.hazard, { action: 'confirm' }, REGULATOR_1, T1 + 1000);
      h = await act(h, { action: 'plan', measures: '整改', responsible: '张三', deadline: new Date(deadline).toISOString() }, ENTERPRISE_USER(ent), T1 + 2000);
      hazards.push({ h, n, dept: c.dept });
    }
    for (const { h } of hazards) await settled(h.id, 'hazard_confirmed', 6);

    await sweepAt(deadline + DAY + 60_000); // day +1 for all five
    for (const { h } of hazards) await settled(h.id, 'hazard_overdue', 2);

    for (const x of hazards) {
      const ent = x.h.enterpriseId;
      let h = await act(x.h, { action: 'submit', text: '已整改', photos: [] }, ENTERPRISE_USER(ent), deadline + DAY + HOUR);
      h = await act(h, { action: 'return', reason: '照片不清' }, REGULATOR_2, deadline + DAY + 2 * HOUR);
      h = await act(h, { action: 'submit', text: '补充照片', photos: [] }, ENTERPRISE_USER(ent), deadline + DAY + 3 * HOUR);
      const bySame = await store.transition(h.id, (cur) => applyHazardAction(cur, { action: 'sign_off' }, REGULATOR_1, new Date(deadline + DAY + 4 * HOUR).toISOString()), CLIENT);
      expect(bySame).toMatchObject({ ok: false, code: 'same_confirmer' }); // the REST answer is 409 (apps/api hazards spec)
      h = await act(h, { action: 'sign_off' }, REGULATOR_2, deadline + DAY + 5 * HOUR);
      expect(h.status).toBe('signed_off');
      expect((await ds.query(`SELECT event FROM hazard_events WHERE hazard_id = $1 ORDER BY id`, [h.id])).map((e: { event: string }) => e.event)).toEqual(['reported', 'confirmed', 'planned', 'submitted', 'returned', 'submitted', 'signed_off']);
    }
    await sweepAt(deadline + 2 * DAY + 60_000); // signed off: no day +2

    for (const { h, n, dept } of hazards) {
      const all = [...(await rows(h.id, 'hazard_confirmed')), ...(await rows(h.id, 'hazard_overdue'))];
      expect(all.map((r) => [r.dedup_key.split(':').slice(2).join(':'), r.status]).sort()).toEqual(
        [
          ['confirmed:actual_controller:sms', 'sent'],
          ['confirmed:actual_controller:wechat', 'sent'],
          [`confirmed:industry_department#${REGION}.${h.categories[0]}:sms`, 'sent'],
          [`confirmed:industry_department#${REGION}.${h.categories[0]}:wechat`, 'sent'],
          ['confirmed:principal:sms', 'sent'],
          ['confirmed:principal:wechat', 'sent'],
          [`overdue:d1:district_duty_officer#${REGION}.0:sms`, 'sent'],
          [`overdue:d1:district_duty_officer#${REGION}.0:wechat`, 'sent'],
        ].sort(),
      );
      // exactly once at the vendor: one request per row, and nothing for this hazard beyond its rows
      for (const r of all) expect(r.dedup_key.endsWith(':sms') ? aliyun.requestsFor(r.dedup_key) : wechat.requestsFor(wechatMsgId(r.dedup_key))).toBe(1);
      expect([...aliyun.deliveries, ...tencent.deliveries].filter((d) => d.key.startsWith(`hazard:${h.id}:`))).toHaveLength(4);
      // each person once per channel about this hazard (the alarm-sourced one's point also raises alarms of its own: not counted here)
      const pad = String(n).padStart(4, '0');
      const aboutIt = (d: { key: string; payload: Record<string, unknown> }) => d.key.startsWith(`hazard:${h.id}:`) || d.payload['url'] === `http://console.test/#/hazards/${h.id}`;
      for (const phone of [`1380000${pad}`, `1390000${pad}`, dept, '13700000016']) expect(smsTo(phone).filter(aboutIt)).toHaveLength(1);
      for (const openid of [`open-principal-${n}`, `open-safety-${n}`, `open-dept-${n}`, 'open-duty-320506']) expect(mpTo(openid).filter(aboutIt)).toHaveLength(1);
    }
    // the district duty officer: one escalation per hazard, on each channel, nothing else
    expect(smsTo('13700000016')).toHaveLength(5);
    expect(mpTo('open-duty-320506')).toHaveLength(5);
  });
});

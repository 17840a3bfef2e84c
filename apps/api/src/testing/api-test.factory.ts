// Test support for the api's specs (excluded from the build): boots the real app in-process
// against the services a spec started, plus HTTP and WebSocket clients and alarm fixtures.
import { randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { AlarmStore } from '@sw/persistence';
import { applyConditionChange, type AlarmResult, type AlarmSnapshot } from '@sw/rules';
import type { Tier } from '@sw/sensors';
import request from 'supertest';
import { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { apiConfigSchema, type ApiConfig } from '../config/api.config';
import { bootstrapApi } from '../main';

// Random per run: the secrets must pass the platform's own rule (libs/secrets), like real ones.
const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const ADMIN = { username: 'admin', password: randomSecret(18) };
export const JWT_SECRET = randomSecret();
export const SERVICE_PASSWORD = randomSecret(24);

export interface ApiHarness {
  app: INestApplication;
  config: ApiConfig;
  baseUrl: string;
  wsUrl: string;
  ds: DataSource;
  store: AlarmStore;
  adminToken: string;
  /** Closes this api process (once however often called); `services.stop()` calls it too. */
  close(): Promise<void>;
}

/**
 * What the harness needs of `TestServices` (@sw/testing): this folder is app code, so it names the
 * shape instead of importing the test-support lib.
 */
export interface ApiServices {
  readonly db: { url: string };
  readonly mosquitto: { url: string };
  readonly influx: { url: string };
  defer(stop: () => unknown): void;
}

/**
 * The real api in-process on the suite's services, logged in as the bootstrap admin; it closes with
 * `services.stop()`. A second call on the same services is a second api process on one database.
 */
export async function startApiHarness(services: ApiServices, env: Record<string, string> = {}): Promise<ApiHarness> {
  const config = apiConfigSchema.parse({
    DATABASE_URL: services.db.url,
    BROKER_URL: services.mosquitto.url,
    INFLUX_URL: services.influx.url,
    SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD,
    JWT_SECRET,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    API_PORT: '0',
    API_BIND: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const app = await bootstrapApi(config);
  let closed: Promise<void> | undefined;
  const close = () => (closed ??= app.close());
  services.defer(close);
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const h: ApiHarness = { app, config, baseUrl, wsUrl: `ws://127.0.0.1:${address.port}/ws`, ds: app.get(DataSource), store: app.get(AlarmStore), adminToken: '', close };
  h.adminToken = await login(h, ADMIN.username, ADMIN.password);
  return h;
}

export async function login(h: ApiHarness, username: string, password: string): Promise<string> {
  const res = await request(h.baseUrl).post('/api/v1/auth/token').send({ username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { accessToken: string }).accessToken;
}

/** A user created by the admin, logged in. */
export async function userToken(h: ApiHarness, body: { username: string; role: string; regionCode?: string; enterpriseId?: string }): Promise<string> {
  const password = `${body.username}-password-123`;
  const res = await request(h.baseUrl).post('/api/v1/users').set('Authorization', `Bearer ${h.adminToken}`).send({ ...body, password });
  if (res.status !== 201) throw new Error(`create user ${body.username}: ${res.status} ${JSON.stringify(res.body)}`);
  return login(h, body.username, password);
}

/** The enterprise, gateway and point `seedSubject` registers (defaults: a steel enterprise, a CO point). */
export interface SubjectSeed {
  /** Names the enterprise `企业<n>` unless `name` is given. */
  n: number;
  uscc: string;
  regionCode: string;
  gatewayCode: string;
  name?: string;
  riskCategories?: string[];
  point?: { code: string; type: string; name: string };
}

/** Registers an enterprise with one gateway and one point over REST, as the admin. */
export async function seedSubject(h: ApiHarness, seed: SubjectSeed): Promise<AlarmSubject> {
  const created = async (what: string, res: request.Response) => {
    if (res.status !== 201) throw new Error(`seed ${what} of subject ${seed.n}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const enterprise = { name: seed.name ?? `企业${seed.n}`, uscc: seed.uscc, regionCode: seed.regionCode, riskCategories: seed.riskCategories ?? ['steel'] };
  const enterpriseId = await created('enterprise', await api(h).post('/enterprises', enterprise));
  const gatewayId = await created('gateway', await api(h).post(`/enterprises/${enterpriseId}/gateways`, { code: seed.gatewayCode }));
  const pointId = await created('point', await api(h).post(`/gateways/${gatewayId}/points`, seed.point ?? { code: 'CO-01', type: 'co', name: '一氧化碳' }));
  return { enterpriseId, gatewayId, pointId, regionCode: seed.regionCode };
}

/** The scope fixture of the alarm and rule specs: subject A in 320505 and C in 320506, a regulator of each district, a user of A. */
export interface TwoDistricts {
  a: AlarmSubject;
  c: AlarmSubject;
  reg0505: string;
  reg0506: string;
  entA: string;
}

/** Seeds `TwoDistricts` with the spec's `subject` (enterprise n, region, gateway code); users reg0505, reg0506, ent-a. */
export async function seedTwoDistricts(h: ApiHarness, subject: (n: number, region: string, code: string) => Promise<AlarmSubject>): Promise<TwoDistricts> {
  const a = await subject(1, '320505', 'GW-A');
  const c = await subject(2, '320506', 'GW-C');
  const reg0505 = await userToken(h, { username: 'reg0505', role: 'regulator', regionCode: '320505' });
  const reg0506 = await userToken(h, { username: 'reg0506', role: 'regulator', regionCode: '320506' });
  const entA = await userToken(h, { username: 'ent-a', role: 'enterprise', enterpriseId: a.enterpriseId });
  return { a, c, reg0505, reg0506, entA };
}

/** supertest's `.parse` for a binary body (XLSX, PDF, DOCX, raw CSV bytes): the body as one Buffer. */
export function binaryBody(res: unknown, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  const stream = res as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** GET /api/v1<path> with a bearer token (the admin's by default), the body as a Buffer. */
export function getFile(h: ApiHarness, path: string, token: string = h.adminToken) {
  return request(h.baseUrl).get(`/api/v1${path}`).set('Authorization', `Bearer ${token}`).buffer(true).parse(binaryBody);
}

/** supertest bound to the api with a bearer token. */
export function api(h: ApiHarness, token: string | null = h.adminToken) {
  const auth = (t: request.Test) => (token ? t.set('Authorization', `Bearer ${token}`) : t).set('User-Agent', 'api-int-spec');
  const agent = request(h.baseUrl);
  return {
    get: (path: string) => auth(agent.get(`/api/v1${path}`)),
    post: (path: string, body?: object) => auth(agent.post(`/api/v1${path}`)).send(body ?? {}),
    patch: (path: string, body: object) => auth(agent.patch(`/api/v1${path}`)).send(body),
    put: (path: string, body: object) => auth(agent.put(`/api/v1${path}`)).send(body),
    delete: (path: string) => auth(agent.delete(`/api/v1${path}`)),
  };
}

export interface AlarmSubject {
  enterpriseId: string;
  gatewayId: string;
  pointId: string;
  regionCode: string;
}

/** Raises (or changes) an alarm the way alerting does: `applyConditionChange` committed by `AlarmStore`. */
export async function raiseAlarm(store: AlarmStore, s: AlarmSubject, opts: { ruleId?: string; tier?: Tier; value?: number; at?: number } = {}): Promise<AlarmSnapshot> {
  const ruleId = opts.ruleId ?? `${s.pointId}:threshold`;
  const change = { kind: 'start' as const, tier: opts.tier ?? 'orange', value: opts.value ?? 180, at: opts.at ?? Date.now(), cause: 'high' as const };
  const ctx = { newAlarmId: randomUUID(), enterpriseId: s.enterpriseId, gatewayId: s.gatewayId, pointId: s.pointId, pointCode: 'CO-01', ruleId, kind: 'threshold' as const, unit: 'ppm', enterpriseName: '测试企业', pointName: '一氧化碳' };
  return commit(store, s, ruleId, (current) => applyConditionChange(current, change, ctx));
}

/** Clears an alarm's condition (alerting's `cleared`). */
export async function clearAlarm(store: AlarmStore, s: AlarmSubject, ruleId = `${s.pointId}:threshold`): Promise<AlarmSnapshot> {
  const ctx = { newAlarmId: randomUUID(), enterpriseId: s.enterpriseId, gatewayId: s.gatewayId, pointId: s.pointId, pointCode: 'CO-01', ruleId, kind: 'threshold' as const, unit: 'ppm', enterpriseName: '测试企业', pointName: '一氧化碳' };
  return commit(store, s, ruleId, (current) => applyConditionChange(current, { kind: 'end', tier: 'orange', value: 10, at: Date.now() }, ctx));
}

async function commit(store: AlarmStore, s: AlarmSubject, ruleId: string, fn: (c: AlarmSnapshot | null) => AlarmResult): Promise<AlarmSnapshot> {
  const outcome = await store.transition({ ruleId, subject: s.pointId }, s.regionCode, fn);
  if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.reason}`);
  return outcome.alarm;
}

/** A WebSocket client that keeps every frame and the close code. */
export class FeedClient {
  readonly frames: Record<string, unknown>[] = [];
  closeCode: number | null = null;
  private readonly closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
    this.closed = new Promise((resolve) => socket.on('close', (code: number) => resolve((this.closeCode = code))));
  }

  static open(url: string): Promise<FeedClient> {
    const socket = new WebSocket(url);
    const client = new FeedClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  send(frame: object | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits until `count` frames satisfy `pred`; answers them. */
  async waitFor(pred: (f: Record<string, unknown>) => boolean, count = 1, timeoutMs = 10_000): Promise<Record<string, unknown>[]> {
    const started = Date.now();
    for (;;) {
      const hits = this.frames.filter(pred);
      if (hits.length >= count) return hits;
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${count} frames; got ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  ofType(type: string): Record<string, unknown>[] {
    return this.frames.filter((f) => f['type'] === type);
  }

  waitClosed(timeoutMs = 10_000): Promise<number> {
    return Promise.race([this.closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('socket did not close')), timeoutMs))]);
  }

  close(): void {
    this.socket.close();
  }
}

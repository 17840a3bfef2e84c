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
}

export async function startApi(opts: { databaseUrl: string; brokerUrl: string; influxUrl: string; env?: Record<string, string> }): Promise<ApiHarness> {
  const config = apiConfigSchema.parse({
    DATABASE_URL: opts.databaseUrl,
    BROKER_URL: opts.brokerUrl,
    INFLUX_URL: opts.influxUrl,
    SERVICE_MQTT_PASSWORD: SERVICE_PASSWORD,
    JWT_SECRET,
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    API_PORT: '0',
    API_BIND: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...opts.env,
  });
  const app = await bootstrapApi(config);
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  const h: ApiHarness = { app, config, baseUrl, wsUrl: `ws://127.0.0.1:${address.port}/ws`, ds: app.get(DataSource), store: app.get(AlarmStore), adminToken: '' };
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

// Real: Debian's Mosquitto 2.0 on its own port with a password file (the service account), mqtt.js
// as the other side. Nothing is mocked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdFor, MosquittoProcess, mosquittoPasswd, waitFor } from '@sw/testing';
import mqtt, { type MqttClient } from 'mqtt';
import { BrokerClient, type BrokerClientOptions, type BrokerLogger } from './broker.client';

const SERVICE = { username: 'svc-test', password: 'service-secret' };

class RecordingLogger implements BrokerLogger {
  readonly lines: string[] = [];
  log = (m: string): void => void this.lines.push(`log ${m}`);
  warn = (m: string): void => void this.lines.push(`warn ${m}`);
  error = (m: string): void => void this.lines.push(`error ${m}`);
}

class WithheldError extends Error {}

describe(BrokerClient.name, () => {
  const pwDir = mkdtempSync(join(tmpdir(), 'sw-mqtt-client-pw-'));
  const passwordFile = join(pwDir, 'passwd');
  const broker = new MosquittoProcess({ passwordFile, allowAnonymous: false });
  const clients: BrokerClient[] = [];
  const raws: MqttClient[] = [];
  let n = 0;

  const client = (over: Partial<BrokerClientOptions> = {}): BrokerClient => {
    const sut = new BrokerClient({ url: broker.url, ...SERVICE, clientId: `sut-${process.pid}-${++n}`, clean: true, logger: new RecordingLogger(), reconnectPeriodMs: 100, ...over });
    clients.push(sut);
    return sut;
  };
  const raw = async (): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(broker.url, { ...SERVICE, clientId: `raw-${process.pid}-${++n}`, reconnectPeriod: 0 });
    raws.push(c);
    return c;
  };

  beforeAll(async () => {
    await mosquittoPasswd(passwordFile, SERVICE.username, SERVICE.password);
    await broker.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop(true)));
    await Promise.all(raws.splice(0).map((c) => c.endAsync(true)));
  });
  afterAll(async () => {
    await broker.cleanup();
    rmSync(pwDir, { recursive: true, force: true });
  });

  it('connects with the service credentials, and keeps trying without them', async () => {
    const sut = client();
    expect(await sut.start(5_000)).toBe(true);
    expect(sut.connected).toBe(true);

    const logger = new RecordingLogger();
    const refused = client({ password: 'wrong', logger });
    expect(await refused.start(500)).toBe(false);
    expect(refused.connected).toBe(false);
    expect(logger.lines.filter((l) => /Not authorized/i.test(l))).toHaveLength(1); // once per change of trouble, not per attempt
  });

  it('delivers to every handler whose filter matches, shared subscriptions and # included', async () => {
    const sut = client();
    const got: string[] = [];
    sut.subscribe('$share/g/v1/gateways/+/telemetry', 1, (topic, payload) => void got.push(`share ${topic} ${payload.toString()}`));
    sut.subscribe('internal/#', 0, (topic) => void got.push(`all ${topic}`));
    sut.subscribe('internal/readings/+', 1, (topic) => void got.push(`one ${topic}`));
    expect(await sut.start(5_000)).toBe(true);

    const other = await raw();
    await other.publishAsync('v1/gateways/GW-1/telemetry', 'x', { qos: 1 });
    await other.publishAsync('internal/readings/3', 'y', { qos: 1 });
    await other.publishAsync('internal', 'z', { qos: 1 });
    await waitFor(() => got.length >= 4, { what: 'four deliveries', timeoutMs: 5_000, intervalMs: 20 });
    expect(got.sort()).toEqual(['all internal', 'all internal/readings/3', 'one internal/readings/3', 'share v1/gateways/GW-1/telemetry x']);

    sut.unsubscribe('internal/#');
    await other.publishAsync('internal/readings/4', 'y', { qos: 1 });
    await waitFor(() => got.includes('one internal/readings/4'), { what: 'the remaining subscription', timeoutMs: 5_000, intervalMs: 20 });
    expect(got).not.toContain('all internal/readings/4');
  });

  it('subscribes a filter added while connected', async () => {
    const sut = client();
    await sut.start(5_000);
    const got = new Promise<string>((resolve) => sut.subscribe('late/+', 1, (_t, payload) => resolve(payload.toString())));
    const other = await raw();
    // the SUBSCRIBE went out first on the same connection, but the publisher is another one
    await waitFor(
      async () => {
        await other.publishAsync('late/1', 'hello', { qos: 1 });
        return Promise.race([got.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 100))]);
      },
      { what: 'a message on the late subscription', timeoutMs: 5_000, intervalMs: 10 },
    );
    expect(await got).toBe('hello');
  });

  it('publishes with the broker acknowledgement, retained when asked', async () => {
    const sut = client();
    await sut.start(5_000);
    await sut.publish('acked/topic', 'one', 1);
    await sut.publish('acked/retained', 'kept', 1, true);
    const other = await raw();
    const retained = new Promise<string>((resolve) => other.on('message', (_t, p, packet) => packet.retain && resolve(p.toString())));
    await other.subscribeAsync('acked/retained', { qos: 1 });
    expect(await retained).toBe('kept');
    await sut.publish('acked/retained', '', 1, true); // clear it
  });

  it('reconnects after the broker restarts, re-subscribes and tells its listeners', async () => {
    const sut = client();
    let connects = 0;
    sut.onConnect(() => connects++);
    const got: string[] = [];
    sut.subscribe('again/+', 1, (_t, payload) => void got.push(payload.toString()));
    await sut.start(5_000);
    expect(connects).toBe(1);

    await broker.restart();
    await waitFor(() => sut.connected && connects === 2, { what: 'the client to reconnect', timeoutMs: 10_000, intervalMs: 20 });
    const other = await raw();
    await waitFor(
      async () => {
        await other.publishAsync('again/1', 'after', { qos: 1 });
        return got.includes('after');
      },
      { what: 'a message after the restart', timeoutMs: 5_000, intervalMs: 50 },
    );
  });

  // docs/architecture.md: a reading batch is acknowledged only once what it caused is durable
  it('holds the acknowledgement until the handler settles, and withholds it on request', async () => {
    const clientId = `persistent-${process.pid}-${++n}`;
    const first = client({ clientId, clean: false, withholdsAck: (err) => err instanceof WithheldError });
    const seen: string[] = [];
    first.subscribe('batches/1', 1, async (_t, payload) => {
      seen.push(`first ${payload.toString()}`);
      throw new WithheldError('lease lost');
    });
    await first.start(5_000);
    const other = await raw();
    await other.publishAsync('batches/1', 'b1', { qos: 1 });
    await waitFor(() => seen.length === 1, { what: 'the first delivery', timeoutMs: 5_000, intervalMs: 20 });
    await first.stop(true);
    expect(first.connected).toBe(false);
    await expect(first.publish('x', 'y', 0)).rejects.toThrow(/not started/);

    // the next owner of the session gets what was not acknowledged
    const next = client({ clientId, clean: false });
    next.subscribe('batches/1', 1, async (_t, payload) => void seen.push(`next ${payload.toString()}`));
    await next.start(5_000);
    await waitFor(() => seen.length === 2, { what: 'the redelivery', timeoutMs: 5_000, intervalMs: 20 });
    expect(seen).toEqual(['first b1', 'next b1']);
    await next.stop();

    // acknowledged this time: a third owner gets nothing more (a later marker proves the queue is empty)
    const third = client({ clientId, clean: false });
    const after: string[] = [];
    third.subscribe('batches/1', 1, (_t, payload) => void after.push(payload.toString()));
    await third.start(5_000);
    await other.publishAsync('batches/1', 'marker', { qos: 1 });
    await waitFor(() => after.includes('marker'), { what: 'the marker', timeoutMs: 5_000, intervalMs: 20 });
    expect(after).toEqual(['marker']);
  });

  it('with `ahead`, hands the next messages over while earlier ones settle, and acknowledges strictly in order', async () => {
    // [MQTT-4.6.0-2] acknowledgements in the order of receipt: a later message settled first waits for the earlier one
    const clientId = `ahead-${process.pid}-${++n}`;
    const first = client({ clientId, clean: false, ahead: 4 });
    const started: string[] = [];
    const settle = new Map<string, () => void>();
    first.subscribe('batches/2', 1, (_t, payload) => {
      started.push(payload.toString());
      return new Promise<void>((resolve) => settle.set(payload.toString(), resolve));
    });
    await first.start(5_000);
    const other = await raw();
    for (const b of ['b1', 'b2', 'b3']) await other.publishAsync('batches/2', b, { qos: 1 });
    // all three handed over while b1 is still settling (one at a time would stop at b1)
    await waitFor(() => started.length === 3, { what: 'three messages in hand at once', timeoutMs: 5_000, intervalMs: 20 });
    settle.get('b3')?.();
    settle.get('b1')?.();
    await holdFor(300, 'PUBACKs in flight: b1 acknowledged, b3 waits for b2');
    await first.stop(true);

    // the session's next owner gets b2 and b3 again (b3 settled, but after the unsettled b2), never b1
    const next = client({ clientId, clean: false, ahead: 4 });
    const again: string[] = [];
    next.subscribe('batches/2', 1, (_t, payload) => void again.push(payload.toString()));
    await next.start(5_000);
    await other.publishAsync('batches/2', 'marker', { qos: 1 });
    await waitFor(() => again.includes('marker'), { what: 'the marker', timeoutMs: 5_000, intervalMs: 20 });
    expect(again).toEqual(['b2', 'b3', 'marker']);
  });
});

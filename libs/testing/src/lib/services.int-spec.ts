import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import pg from 'pg';
import { InfluxdProcess } from './influxd';
import { MosquittoProcess, mosquittoPasswd } from './mosquitto';
import { freePort, freePorts } from './ports';
import { createTestDatabase } from './postgres';
import { waitFor } from './wait';

describe('@sw/testing helpers', () => {
  describe('ports and waitFor', () => {
    it('hands out distinct free ports', async () => {
      const [a, b, c] = await freePorts(3);
      expect(new Set([a, b, c]).size).toBe(3);
      expect(await freePort()).toBeGreaterThan(0);
    });

    it('names what it waited for on time-out', async () => {
      await expect(waitFor(() => false, { what: 'the impossible', timeoutMs: 200, intervalMs: 20 })).rejects.toThrow(/the impossible/);
      let n = 0;
      await waitFor(() => ++n >= 3, { what: 'three tries', timeoutMs: 1_000, intervalMs: 5 });
      expect(n).toBe(3);
    });
  });

  describe('InfluxdProcess', () => {
    const influxd = new InfluxdProcess();
    afterAll(() => influxd.cleanup());

    it('starts, writes line protocol, reads it back, and keeps it across a restart', async () => {
      await influxd.start();
      expect(influxd.url).toBe(`http://127.0.0.1:${influxd.httpPort}`);
      expect(influxd.bindPort).not.toBe(influxd.httpPort);
      expect(await influxd.ping()).toBe(204);

      await influxd.createDatabase('sw');
      const t = Date.now() - 1_000;
      const body = [
        `reading,enterprise=e1,gateway=gw1,point=p1,type=temperature,region=r1 value=21.5 ${t}`,
        `reading,enterprise=e1,gateway=gw1,point=p1,type=temperature,region=r1 value=22.5,quality="uncertain" ${t + 500}`,
      ].join('\n');
      const res = await fetch(`${influxd.url}/write?db=sw&precision=ms`, { method: 'POST', body });
      expect(res.status).toBe(204);

      const read = async (): Promise<unknown[][]> => {
        const series = await influxd.query('sw', `SELECT "value", "quality" FROM "reading" WHERE "point" = 'p1' ORDER BY time`);
        return series[0]?.values ?? [];
      };
      expect(await read()).toEqual([
        [t, 21.5, null],
        [t + 500, 22.5, 'uncertain'],
      ]);

      await influxd.stop();
      expect(influxd.running).toBe(false);
      expect(await influxd.ping(500)).toBe(0);

      const port = influxd.httpPort;
      await influxd.restart();
      expect(influxd.httpPort).toBe(port);
      expect(await read()).toEqual([
        [t, 21.5, null],
        [t + 500, 22.5, 'uncertain'],
      ]);

      await expect(influxd.query('sw', 'SELEKT nonsense')).rejects.toThrow(/error parsing query/);
    });

    it('fails start-up clearly, with the log tail, when influxd cannot bind', async () => {
      const blocker = new InfluxdProcess({ httpPort: influxd.httpPort, startTimeoutMs: 5_000 });
      try {
        await expect(blocker.start()).rejects.toThrow(/tail of .*influxd\.log[\s\S]*address already in use/);
      } finally {
        await blocker.cleanup();
      }
    });
  });

  describe('InfluxdProcess with auth', () => {
    const influxd = new InfluxdProcess({ auth: { username: 'sw', password: "p'ss" } });
    afterAll(() => influxd.cleanup());

    it('creates the admin user, refuses anonymous queries and keeps the user across a restart', async () => {
      await influxd.start();
      const anonymous = await fetch(`${influxd.url}/query?q=${encodeURIComponent('SHOW DATABASES')}`);
      expect(anonymous.status).toBe(401);
      await influxd.createDatabase('secured');
      await influxd.write('secured', 'reading,point=p value=1 1000');
      await influxd.restart();
      expect((await influxd.query('secured', 'SELECT value FROM reading'))[0]?.values).toEqual([[1000, 1]]);
    });
  });

  describe('MosquittoProcess', () => {
    // The password file lives apart from the broker's config dir, as the platform's would.
    const pwDir = mkdtempSync(join(tmpdir(), 'sw-mosquitto-pw-'));
    const passwordFile = join(pwDir, 'passwd');
    const broker = new MosquittoProcess({ passwordFile, allowAnonymous: false });
    afterAll(async () => {
      await broker.cleanup();
      rmSync(pwDir, { recursive: true, force: true });
    });

    it('accepts the right password, refuses a wrong one, and re-reads the password file on reload', async () => {
      await mosquittoPasswd(passwordFile, 'gw-1', 's3cret');
      await broker.start();
      expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);

      const ok = await mqtt.connectAsync(broker.url, { username: 'gw-1', password: 's3cret', reconnectPeriod: 0 });
      const received = new Promise<string>((resolve) => ok.on('message', (_topic, payload) => resolve(payload.toString())));
      await ok.subscribeAsync('gw/gw-1/echo', { qos: 1 });
      await ok.publishAsync('gw/gw-1/echo', 'hello', { qos: 1 });
      expect(await received).toBe('hello');
      await ok.endAsync();

      await expect(
        mqtt.connectAsync(broker.url, { username: 'gw-1', password: 'wrong', reconnectPeriod: 0 }),
      ).rejects.toThrow(/Not authorized|Bad username or password/i);
      await expect(mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })).rejects.toThrow(/Not authorized/i);

      // A user added to the file is accepted only after the SIGHUP reload.
      await mosquittoPasswd(passwordFile, 'gw-2', 'other');
      await expect(mqtt.connectAsync(broker.url, { username: 'gw-2', password: 'other', reconnectPeriod: 0 })).rejects.toThrow(
        /Not authorized/i,
      );
      await broker.reload();
      const second = await mqtt.connectAsync(broker.url, { username: 'gw-2', password: 'other', reconnectPeriod: 0 });
      await second.endAsync();

      expect(broker.logTail()).toMatch(/gw-1/);
    });
  });

  describe('MosquittoProcess start-up failure', () => {
    it('fails clearly, with the log tail, when its port is taken', async () => {
      const first = new MosquittoProcess();
      await first.start();
      const second = new MosquittoProcess({ port: first.port, startTimeoutMs: 5_000 });
      try {
        await expect(second.start()).rejects.toThrow(/exited during start-up[\s\S]*Address already in use/);
      } finally {
        await second.cleanup();
        await first.cleanup();
      }
    });
  });

  describe('createTestDatabase', () => {
    it('creates a database that can be used, then drops it', async () => {
      const db = await createTestDatabase('support spec');
      expect(db.name).toMatch(/^sw_test_support_spec_[a-z0-9]+$/);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
      expect(rows[0]!.db).toBe(db.name);
      // drop() must work even with this connection still open (WITH (FORCE)).
      client.on('error', () => undefined);
      await db.drop();
      await client.end().catch(() => undefined);
      await db.drop();

      const admin = new pg.Client({ connectionString: process.env['TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres' });
      await admin.connect();
      try {
        const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
        expect(left.rowCount).toBe(0);
      } finally {
        await admin.end();
      }
    });
  });
});

/**
 * The README's CLI examples, run as a user runs them (`npm run cli -- …` on the built app) against a
 * real PostgreSQL database of their own (created and dropped here; the CLI runs the migrations).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@sw/testing';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '../../..');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe('cli (built, npm run cli)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('cli');
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function cli(...args: string[]): Promise<Result> {
    try {
      const { stdout, stderr } = await run('npm', ['run', '--silent', 'cli', '--', ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, DATABASE_URL: db.url },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw err; // could not run at all (no npm, …)
      return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  it('prints the usage for --help', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: sw [--json] <command>');
  });

  it('registers an enterprise, a gateway with a password shown once, a point, and rotates the secret', async () => {
    const ent = await cli('enterprise', 'add', '--name', '示例钢铁有限公司', '--uscc', '91110108551385082Q', '--region', '320505', '--categories', 'steel');
    expect(ent).toMatchObject({ code: 0 });
    expect(ent.stdout).toMatch(/^enterprise 示例钢铁有限公司 registered: id [0-9a-f-]{36}/);

    const gw = await cli('--json', 'gateway', 'add', '--enterprise', '91110108551385082Q', '--code', 'GW-0001');
    expect(gw.code).toBe(0);
    const added = JSON.parse(gw.stdout) as { gateway: { code: string }; mqtt: { username: string; password: string } };
    expect(added.gateway.code).toBe('GW-0001');
    expect(added.mqtt.username).toBe('GW-0001');
    expect(added.mqtt.password.length).toBeGreaterThanOrEqual(24);

    const point = await cli('point', 'add', '--gateway', 'GW-0001', '--code', 'CO-01', '--type', 'co', '--name', '转炉煤气区CO', '--mandatory', '--interval', '10');
    expect(point.code).toBe(0);
    expect(point.stdout).toMatch(/^point CO-01 \(co, ppm\) registered on GW-0001/);

    const rows = await query<{ code: string; mandatory: boolean; name: string }>(
      `SELECT p.code, p.mandatory, e.name FROM points p JOIN gateways g ON g.id = p.gateway_id JOIN enterprises e ON e.id = g.enterprise_id`,
    );
    expect(rows).toEqual([{ code: 'CO-01', mandatory: true, name: '示例钢铁有限公司' }]);

    const before = await query<{ hash: string }>(`SELECT secret_hash AS hash FROM gateways WHERE code = 'GW-0001'`);
    const rotated = await cli('--json', 'gateway', 'rotate', '--code', 'GW-0001');
    expect(rotated.code).toBe(0);
    const { mqtt } = JSON.parse(rotated.stdout) as { mqtt: { password: string } };
    expect(mqtt.password).not.toBe(added.mqtt.password);
    const after = await query<{ hash: string }>(`SELECT secret_hash AS hash FROM gateways WHERE code = 'GW-0001'`);
    expect(after[0]?.hash).not.toBe(before[0]?.hash);
  });

  it('answers a missing gateway with exit 3 and a duplicate credit code with exit 2, writing nothing', async () => {
    const missing = await cli('point', 'add', '--gateway', 'GW-NOPE', '--code', 'X-1', '--type', 'co', '--name', 'x');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('gateway GW-NOPE not found');

    const dup = await cli('enterprise', 'add', '--name', '另一家', '--uscc', '91110108551385082Q', '--region', '320505', '--categories', 'steel');
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/^error: /);
    const count = await query<{ n: string }>(`SELECT count(*) AS n FROM enterprises`);
    expect(count[0]?.n).toBe('1');
  });
});

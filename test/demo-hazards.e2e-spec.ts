/**
 * The demo district's hazard register (issue 12 "Simulator/demo"): the built simulator's
 * `provision` then `hazards` against the built api as a process and real PostgreSQL — hazards in
 * every state (one overdue) and a public report, recorded through REST as the users who would act,
 * each step an event with its audit row; a second run changes nothing.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { randomSecret, tempDir } from '@sw/testing';
import { ADMIN, ConsolePlatform } from './support/console-platform';

const run = promisify(execFile);
const SIMULATOR = join(__dirname, '..', 'dist', 'apps', 'simulator', 'src', 'main.js');

interface Seeded {
  hazards: { description: string; id: string; status: string; overdue: boolean; created: boolean }[];
  report: 'filed' | 'exists';
}

describe('demo hazards (simulator hazards)', () => {
  let platform: ConsolePlatform;
  let db: pg.Client;
  const dir = tempDir('sw-demo-hazards-');
  const passwords = { DEMO_DUTY_PASSWORD: randomSecret(18), DEMO_SAFETY_PASSWORD: randomSecret(18) };

  const simulator = async (...args: string[]) => {
    const env = {
      PATH: process.env['PATH'] ?? '',
      DATABASE_URL: platform.db.url,
      SIMULATOR_CREDENTIALS: join(dir.path, 'credentials.json'),
      SIMULATOR_API_URL: platform.url,
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      ...passwords,
    };
    return (await run(process.execPath, [SIMULATOR, ...args], { env, timeout: 60_000 })).stdout;
  };
  const counts = async () =>
    (
      await db.query<{ hazards: number; events: number; audits: number; reports: number }>(
        `SELECT (SELECT count(*)::int FROM hazards) AS hazards, (SELECT count(*)::int FROM hazard_events) AS events,
                (SELECT count(*)::int FROM audit_log WHERE action LIKE 'hazard.%' AND outcome = 'ok') AS audits,
                (SELECT count(*)::int FROM public_reports) AS reports`,
      )
    ).rows[0]!;

  beforeAll(async () => {
    platform = await ConsolePlatform.start({ EVIDENCE_DIR: join(dir.path, 'evidence') });
    db = new pg.Client({ connectionString: platform.db.url });
    await db.connect();
    await simulator('provision');
  });

  afterAll(async () => {
    await db?.end();
    await platform?.stop();
    dir.remove();
  });

  it('records a hazard in every state, one overdue, and a public report, each step an audited event', async () => {
    const seeded = JSON.parse(await simulator('hazards', '--json')) as Seeded;
    expect(seeded.hazards.every((h) => h.created)).toBe(true);
    expect(seeded.hazards.map((h) => h.status).sort()).toEqual(['confirmed', 'rectifying', 'rectifying', 'reported', 'signed_off', 'submitted']);
    expect(seeded.hazards.filter((h) => h.overdue)).toHaveLength(1);
    expect(seeded.report).toBe('filed');

    const c = await counts();
    expect(c.hazards).toBe(6);
    expect(c.audits).toBe(c.events); // every event written with its audit row
    expect(c.reports).toBe(1);
    const signedOff = seeded.hazards.find((h) => h.status === 'signed_off')!;
    const events = await db.query<{ event: string; actor: { username: string } }>(`SELECT event, actor FROM hazard_events WHERE hazard_id = $1 ORDER BY id`, [signedOff.id]);
    expect(events.rows.map((e) => `${e.event}:${e.actor.username}`)).toEqual([
      'reported:demo.safety',
      'confirmed:demo.duty',
      'planned:demo.safety',
      'submitted:demo.safety',
      'returned:demo.duty',
      'submitted:demo.safety',
      `signed_off:${ADMIN.username}`,
    ]);
  });

  it('lets the demo users in, each seeing its own scope', async () => {
    const token = async (username: string, password: string) => {
      const res = await fetch(`${platform.url}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    const get = async (t: string, path: string) => (await (await fetch(`${platform.url}/api/v1${path}`, { headers: { authorization: `Bearer ${t}` } })).json()) as { total: number };
    const duty = await token('demo.duty', passwords.DEMO_DUTY_PASSWORD);
    expect((await get(duty, '/hazards')).total).toBe(6);
    expect((await get(duty, '/reports')).total).toBe(1);
    const safety = await token('demo.safety', passwords.DEMO_SAFETY_PASSWORD);
    expect((await get(safety, '/hazards')).total).toBe(2); // the steel works' own
  });

  it('changes nothing when run again', async () => {
    const before = await counts();
    const again = JSON.parse(await simulator('hazards', '--json')) as Seeded;
    expect(again.hazards.some((h) => h.created)).toBe(false);
    expect(again.report).toBe('exists');
    expect(await counts()).toEqual(before);
  });
});

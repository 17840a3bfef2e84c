import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests create their databases on; any database on it works for CREATE/DROP DATABASE. */
export const TEST_PG_URL = process.env['TEST_PG_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  /** Connection URL of the new database (same server and credentials as TEST_PG_URL). */
  url: string;
  name: string;
  /** DROP DATABASE … WITH (FORCE): ends open connections; safe to call twice. */
  drop(): Promise<void>;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `cannot connect to PostgreSQL at ${TEST_PG_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')} (${message}); ` +
        'start it (scripts/test.sh does: pg_ctlcluster --skip-systemctl-redirect <version> main start) or set TEST_PG_URL',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `sw_test_<prefix>_<random>` on the TEST_PG_URL server. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const clean = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30) || 'db';
  const name = `sw_test_${clean}_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_PG_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop(): Promise<void> {
      if (dropped) return;
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      dropped = true;
    },
  };
}

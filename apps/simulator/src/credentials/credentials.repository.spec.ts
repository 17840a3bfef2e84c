import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCredentials, writeCredentials } from './credentials.repository';
import type { CredentialsFile } from './credentials.schema';

const FILE: CredentialsFile = {
  version: 1, kind: 'demo', brokerUrl: 'mqtt://127.0.0.1:1883', writtenAt: '2026-11-28T00:00:00.000Z',
  gateways: [{ code: 'GW-01', password: 'secret', points: [{ code: 'CO-01', type: 'co', unit: 'ppm', intervalS: 5, baseline: 4 }] }],
};

describe('credentials file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-cred-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is written 0600 in a 0700 directory and read back', async () => {
    const path = join(dir, '.demo', 'credentials.json');
    await writeCredentials(path, FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, '.demo'))).mode & 0o777).toBe(0o700);
    expect(await readCredentials(path)).toEqual(FILE);
  });

  it('tightens the mode of a file that existed', async () => {
    const path = join(dir, 'c.json');
    await writeFile(path, '{}', { mode: 0o644 });
    await writeCredentials(path, FILE);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(FILE);
  });

  it('says what is wrong with a missing or foreign file', async () => {
    await expect(readCredentials(join(dir, 'none.json'))).rejects.toThrow(/run `simulator provision` first/);
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ version: 2 }));
    await expect(readCredentials(path)).rejects.toThrow(/not a simulator credentials file/);
  });
});

import type { DataSource } from 'typeorm';
import { EXIT, runCli, USAGE, type CliIo } from './cli';

/** An io whose database is a stand-in that only counts opens and closes: these cases fail before any query. */
function factory() {
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const db = { opened: 0, destroyed: 0 };
  const io: CliIo = {
    openDataSource: () => {
      db.opened += 1;
      return Promise.resolve({ destroy: () => Promise.resolve(void (db.destroyed += 1)) } as unknown as DataSource);
    },
    stdout: (line) => lines.stdout.push(line),
    stderr: (line) => lines.stderr.push(line),
  };
  return { io, lines, db };
}

describe(runCli.name, () => {
  it.each([[[]], [['--help']], [['help']], [['-h']]])('prints the usage on stdout and exits 0 for %j, without touching the database', async (argv) => {
    const { io, lines, db } = factory();
    await expect(runCli(argv, io)).resolves.toBe(EXIT.ok);
    expect(lines.stdout).toEqual([USAGE]);
    expect(db.opened).toBe(0);
  });

  it('refuses an unknown command with exit 2 and names it', async () => {
    const { io, lines, db } = factory();
    await expect(runCli(['gateway', 'delete', '--code', 'GW-1'], io)).resolves.toBe(EXIT.usage);
    expect(lines.stderr[0]).toContain('unknown command "gateway delete"');
    expect(db.opened).toBe(0);
  });

  it('answers an unknown option with exit 2 and closes the database', async () => {
    const { io, lines, db } = factory();
    await expect(runCli(['enterprise', 'add', '--nmae', 'x'], io)).resolves.toBe(EXIT.usage);
    expect(lines.stderr[0]).toMatch(/^error: .*--nmae/);
    expect(db).toEqual({ opened: 1, destroyed: 1 });
  });

  it('reports invalid input as JSON with --json', async () => {
    const { io, lines } = factory();
    const code = await runCli(['--json', 'enterprise', 'add', '--name', 'A', '--uscc', 'nope', '--region', '320505', '--categories', 'steel'], io);
    expect(code).toBe(EXIT.usage);
    expect(JSON.parse(lines.stderr[0] ?? '')).toEqual({ error: expect.stringContaining('uscc') as unknown });
  });

  it('refuses a count that is not a whole number', async () => {
    const { io, lines } = factory();
    const code = await runCli(['enterprise', 'add', '--name', 'A', '--uscc', '91110108551385082Q', '--region', '320505', '--categories', 'metal_dust', '--dust-workers', '2.5'], io);
    expect(code).toBe(EXIT.usage);
    expect(lines.stderr[0]).toBe('error: --dust-workers must be a whole number');
  });
});

import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, tempDir } from '@sw/testing';

/**
 * A PostgreSQL cluster of the chaos suite's own (initdb into a temp folder, its own port, trust on
 * 127.0.0.1), so that it can be restarted under load without touching the machine's shared cluster.
 * As root the server runs as the `postgres` user (initdb refuses root). It keeps commit timestamps
 * (`track_commit_timestamp`), so the audit can tell when each alarm event was committed: late or on time.
 */
export class OwnPostgres {
  private readonly folder = tempDir('sw-chaos-pg-');
  private readonly bin: string;
  private readonly asRoot = process.getuid?.() === 0;
  port = 0;

  constructor() {
    const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
    const found = versions.map((v) => `/usr/lib/postgresql/${v}/bin`).find((dir) => existsSync(join(dir, 'initdb')));
    if (!found) throw new Error('no initdb under /usr/lib/postgresql/*/bin (apt-get install postgresql)');
    this.bin = found;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get dataDir(): string {
    return join(this.folder.path, 'data');
  }

  async start(): Promise<void> {
    if (!this.port) {
      this.port = await freePort();
      if (this.asRoot) chownSync(this.folder.path, ...postgresIds());
      this.run('initdb', ['-D', this.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    }
    this.ctl(['start', '-w', '-t', '60', '-l', join(this.folder.path, 'log'), '-o', `-p ${this.port} -k ${this.folder.path} -c listen_addresses=127.0.0.1 -c max_connections=200 -c track_commit_timestamp=on`]);
  }

  /** `pg_ctl restart -m fast`: every session ends, the server is back on the same port and data. */
  restart(): void {
    this.ctl(['restart', '-w', '-t', '60', '-m', 'fast', '-l', join(this.folder.path, 'log'), '-o', `-p ${this.port} -k ${this.folder.path} -c listen_addresses=127.0.0.1 -c max_connections=200 -c track_commit_timestamp=on`]);
  }

  stop(): void {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) this.ctl(['stop', '-w', '-m', 'immediate'], false);
    this.folder.remove();
  }

  private ctl(args: string[], strict = true): void {
    this.run('pg_ctl', ['-D', this.dataDir, ...args], strict);
  }

  private run(tool: string, args: string[], strict = true): void {
    const command = this.asRoot ? 'runuser' : join(this.bin, tool);
    const argv = this.asRoot ? ['-u', 'postgres', '--', join(this.bin, tool), ...args] : args;
    const r = spawnSync(command, argv, { encoding: 'utf8', cwd: this.folder.path });
    if (strict && r.status !== 0) throw new Error(`${tool} ${args[0] ?? ''} failed: ${(r.stderr || r.stdout || r.error?.message || '').trim()}`);
  }
}

function postgresIds(): [number, number] {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('no postgres user to run the suite’s own cluster as');
  return [Number(r.stdout.trim()), Number(g.stdout.trim())];
}

/**
 * The systemd units under deploy/systemd must load: `systemd-analyze verify` (Debian's systemd
 * package; no running systemd needed) reports unknown keys, bad values and missing binaries on
 * stderr, which must stay empty. deploy/mosquitto's broker settings must start a real Mosquitto.
 */
import { execFile, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, tempDir, waitFor, waitForExit } from '@sw/testing';

const run = promisify(execFile);
const UNITS = join(__dirname, '../../deploy/systemd');

async function verify(dir: string): Promise<{ code: number; stderr: string }> {
  const files = readdirSync(dir).filter((f) => /\.(service|target)$/.test(f)).map((f) => join(dir, f));
  try {
    const { stderr } = await run('systemd-analyze', ['verify', ...files], { env: { ...process.env, SYSTEMD_LOG_COLOR: '0' } });
    return { code: 0, stderr: stderr.trim() };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stderr: (e.stderr ?? String(err)).trim() };
  }
}

/** Whether something accepts a TCP connection on 127.0.0.1:port. */
function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('deploy/systemd units', () => {
  const units = readdirSync(UNITS).filter((f) => f.endsWith('.service'));

  it('has one unit per app, restarted on failure, with the environment file and the hardening', () => {
    expect(units.sort()).toEqual(['safety-watch-alerting.service', 'safety-watch-api.service', 'safety-watch-ingest.service', 'safety-watch-uplink.service']);
    for (const unit of units) {
      const text = readFileSync(join(UNITS, unit), 'utf8');
      const app = /safety-watch-(\w+)\.service/.exec(unit)?.[1] as string;
      expect(text).toContain(`ExecStart=/usr/bin/node /opt/safety-watch/dist/apps/${app}/src/main.js`);
      for (const line of ['Restart=on-failure', 'EnvironmentFile=/etc/safety-watch/platform.env', 'User=safety-watch', 'NoNewPrivileges=yes', 'ProtectSystem=strict']) {
        expect(text.split('\n')).toContain(line);
      }
    }
    expect(readFileSync(join(UNITS, 'safety-watch-ingest.service'), 'utf8')).toMatch(/^ReadWritePaths=\/var\/lib\/safety-watch/m);
  });

  it('pass systemd-analyze verify without a warning', async () => {
    expect(await verify(UNITS)).toEqual({ code: 0, stderr: '' });
  });

  it('and the check notices a broken unit (an unknown key)', async () => {
    const copy = tempDir('sw-systemd-');
    try {
      cpSync(UNITS, copy.path, { recursive: true });
      const api = join(copy.path, 'safety-watch-api.service');
      writeFileSync(api, readFileSync(api, 'utf8').replace('Restart=on-failure', 'Restart=on-failure\nRestartt=always'));
      expect((await verify(copy.path)).stderr).toMatch(/Unknown key 'Restartt'/);
    } finally {
      copy.remove();
    }
  });

  it('deploy/mosquitto/safety-watch.conf starts Mosquitto with both listeners (its files and ports moved to a temp folder and free ports)', async () => {
    const conf = readFileSync(join(__dirname, '../../deploy/mosquitto/safety-watch.conf'), 'utf8');
    for (const line of ['per_listener_settings true', 'use_username_as_clientid true', 'persistence true', 'max_inflight_messages 0']) expect(conf.split('\n')).toContain(line);
    const dir = tempDir('sw-mosquitto-conf-');
    for (const file of ['passwd', 'service-passwd', 'acl']) writeFileSync(join(dir.path, file), '');
    const [services, gateways] = [await freePort(), await freePort()];
    const path = join(dir.path, 'mosquitto.conf');
    writeFileSync(
      path,
      (process.getuid?.() === 0 ? 'user root\n' : '') +
        conf
          .replaceAll('/etc/mosquitto/safety-watch/', `${dir.path}/`)
          .replace('/var/lib/mosquitto/', `${dir.path}/`)
          .replace('listener 1884 127.0.0.1', `listener ${services} 127.0.0.1`)
          .replace(/^listener 1883$/m, `listener ${gateways} 127.0.0.1`),
    );
    const broker = spawn('/usr/sbin/mosquitto', ['-c', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    broker.stderr?.on('data', (c: Buffer) => void (stderr += c.toString()));
    try {
      for (const port of [services, gateways]) {
        await waitFor(
          () => {
            if (broker.exitCode !== null) throw new Error(`Mosquitto refused the configuration: ${stderr.trim()}`);
            return connects(port);
          },
          { what: `Mosquitto listening on ${port}`, timeoutMs: 10_000, intervalMs: 50 },
        );
      }
    } finally {
      broker.kill('SIGTERM');
      await waitForExit(broker, 10_000);
      dir.remove();
    }
  });
});

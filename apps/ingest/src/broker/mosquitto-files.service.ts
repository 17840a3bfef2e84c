import { exec } from 'node:child_process';
import { chmod, chown, rename, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { mosquittoHash } from '@sw/persistence';
import { INGEST_CONFIG, type IngestConfig } from '../config/ingest.config';
import { GatewayRegistryService } from '../gateways/gateway-registry.service';

const execAsync = promisify(exec);

/**
 * docs/contracts.md §1 with Mosquitto: the platform writes the password file (gateways' `$7$` hashes and
 * the service account) and the pattern ACL, rewrites them when the registry changes, and runs
 * MOSQUITTO_RELOAD_COMMAND (e.g. `pkill -HUP -x mosquitto`) so the broker re-reads them.
 *
 * Client ids (README §Security): Mosquitto 2.0 cannot tie a client id to a username by ACL, but a
 * listener with `use_username_as_clientid true` replaces every client's id with its username. That
 * would make all service sessions one id, so the service account gets its own listener and file:
 * with MOSQUITTO_SERVICE_PASSWORD_FILE set, MOSQUITTO_PASSWORD_FILE holds the gateways only (for the
 * gateway listener, `use_username_as_clientid true`) and the service file the service account only
 * (for an internal listener), under `per_listener_settings true` (README §Security gives the mosquitto.conf lines).
 */
@Injectable()
export class MosquittoFilesService implements OnModuleInit {
  private readonly logger = new Logger(MosquittoFilesService.name);
  private serviceLine = '';
  private queued: Promise<void> = Promise.resolve();

  constructor(
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    private readonly registry: GatewayRegistryService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.MOSQUITTO_PASSWORD_FILE) return;
    this.serviceLine = `${this.config.SERVICE_MQTT_USERNAME}:${await mosquittoHash(this.config.SERVICE_MQTT_PASSWORD)}`;
    if (this.config.MOSQUITTO_SERVICE_PASSWORD_FILE) {
      await atomicWrite(this.config.MOSQUITTO_SERVICE_PASSWORD_FILE, this.serviceLine + '\n');
    } else {
      this.logger.warn('MOSQUITTO_SERVICE_PASSWORD_FILE is not set: gateways and the service account share one Mosquitto listener, where a gateway can take any client id (README §Security)');
    }
    await this.write();
    this.registry.onChange(() => {
      this.queued = this.queued.then(() => this.write()).catch((err: Error) => this.logger.error(`cannot write Mosquitto files: ${err.message}`));
    });
  }

  /** Resolves when the files reflect every registry change seen so far. */
  settled(): Promise<void> {
    return this.queued;
  }

  private async write(): Promise<void> {
    const file = this.config.MOSQUITTO_PASSWORD_FILE as string;
    const users = await this.registry.runtime.mosquittoUsers();
    const gateways = users.map((u) => `${u.code}:${u.hash}`);
    const lines = this.config.MOSQUITTO_SERVICE_PASSWORD_FILE ? gateways : [this.serviceLine, ...gateways];
    await atomicWrite(file, lines.join('\n') + '\n');
    if (this.config.MOSQUITTO_ACL_FILE) {
      await atomicWrite(this.config.MOSQUITTO_ACL_FILE, mosquittoAcl(this.config.SERVICE_MQTT_USERNAME));
    }
    if (this.config.MOSQUITTO_RELOAD_COMMAND) await execAsync(this.config.MOSQUITTO_RELOAD_COMMAND);
    this.logger.log(`Mosquitto password file written: ${users.length} gateways`);
  }
}

/** The service account reaches everything; each gateway only `v1/gateways/<its code>/#`. */
export function mosquittoAcl(serviceUser: string): string {
  return [
    `user ${serviceUser}`,
    'topic readwrite #',
    '',
    '# docs/contracts.md §1: readwrite because write alone cannot carry the retained state',
    'pattern readwrite v1/gateways/%u/#',
    '',
  ].join('\n');
}

/** Write-and-rename, keeping the owner and mode an operator gave the file (the broker must read it). */
async function atomicWrite(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const existing = await stat(path).catch(() => null);
  await writeFile(tmp, content, { mode: 0o640 });
  if (existing) {
    await chown(tmp, existing.uid, existing.gid).catch(() => undefined);
    await chmod(tmp, existing.mode & 0o777);
  }
  await rename(tmp, path);
}

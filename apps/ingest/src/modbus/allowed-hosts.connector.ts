import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { ModbusHostPolicy, ModbusSettings } from '@sw/persistence';
import { ModbusTransportError, type ModbusConnection, type ModbusConnector } from './modbus-client.types';

/**
 * Polls only devices inside MODBUS_ALLOWED_CIDRS (README §Security): the host is resolved here,
 * the address is checked, and the connection goes to that very address, so a name cannot resolve
 * to an allowed address for the check and to another one for the connection (DNS rebinding).
 * A refused host fails like an unreachable device (`not_allowed`: logged, counted, retried with
 * backoff, since the registry may correct it).
 */
export class AllowedHostsConnector implements ModbusConnector {
  constructor(
    private readonly inner: ModbusConnector,
    private readonly policy: ModbusHostPolicy,
  ) {}

  async connect(settings: ModbusSettings): Promise<ModbusConnection> {
    const address = isIP(settings.host) ? settings.host : await this.resolve(settings.host);
    if (!this.policy.allows(address)) throw new ModbusTransportError('not_allowed', this.policy.refusal(settings.host, address));
    return this.inner.connect({ ...settings, host: address });
  }

  private async resolve(host: string): Promise<string> {
    try {
      return (await lookup(host)).address;
    } catch (err) {
      throw new ModbusTransportError('unreachable', `cannot resolve ${host}: ${(err as Error).message}`);
    }
  }
}

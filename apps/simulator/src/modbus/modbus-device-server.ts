import type { RegisterFunction } from '@sw/sensors';
import { ServerTCP } from 'modbus-serial';
import type { IncidentsService } from '../incidents/incidents.service';
import type { ModbusDevice } from './modbus-device';

/** The image is sampled at most this often, however fast the device is polled. */
const SAMPLE_MS = 200;
const NEVER = new Promise<never>(() => undefined);

/**
 * Serves a ModbusDevice over Modbus TCP with modbus-serial's ServerTCP (FC1–FC4; only the mapped
 * addresses exist). While a `gateway_silent` incident is in force the device hangs: connections
 * are accepted and nothing is answered, so the platform must notice through its time-outs.
 */
export class ModbusDeviceServer {
  private server: ServerTCP | null = null;
  private sampledAt = 0;

  constructor(
    private readonly device: ModbusDevice,
    private readonly incidents: IncidentsService | null,
    private readonly log: (line: string) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  listen(host: string, port: number, unitId: number): Promise<void> {
    const read = (fn: RegisterFunction) => (address: number) => this.read(fn, address);
    const vector = {
      getCoil: (address: number) => read('coil')(address).then((v) => v !== 0),
      getDiscreteInput: (address: number) => read('discrete')(address).then((v) => v !== 0),
      getHoldingRegister: read('holding'),
      getInputRegister: read('input'),
    };
    const server = new ServerTCP(vector, { host, port, unitID: unitId });
    this.server = server;
    server.on('socketError', (err) => this.log(`modbus device ${this.device.code}: socket error: ${err?.message ?? ''}`));
    server.on('error', (err) => this.log(`modbus device ${this.device.code}: ${err?.message ?? ''}`));
    return new Promise((resolve, reject) => {
      server.on('initialized', () => resolve());
      server.on('serverError', (err) => reject(new Error(`modbus device ${this.device.code} cannot listen on ${host}:${port}: ${err?.message ?? ''}`)));
    });
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = null;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private read(fn: RegisterFunction, address: number): Promise<number> {
    const now = this.clock();
    if (this.incidents?.isSilent(this.device.code, now)) return NEVER;
    if (now - this.sampledAt >= SAMPLE_MS) {
      this.device.update(now, this.incidents?.forGateway(this.device.code, now) ?? []);
      this.sampledAt = now;
    }
    try {
      return Promise.resolve(this.device.read(fn, address));
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }
}

import { connect, type Socket } from 'node:net';
import type { ModbusSettings } from '@sw/persistence';
import type { RegisterFunction } from '@sw/sensors';
import ModbusRTU from 'modbus-serial';
import { ModbusExceptionError, ModbusTransportError, type ModbusConnection, type ModbusConnector, type TransportFailure } from './modbus-client.types';

/** Extra time our own guard gives a request beyond the library's time-out before giving up on it. */
const GUARD_MS = 250;

/**
 * modbus-serial 8 over a socket we open and own. The library does not reconnect, does not reject
 * a request in flight when the peer closes (it waits for its time-out), and `destroy()` cancels
 * the time-out without ever settling the request; so the TCP handshake, the deadline of every
 * request and the end of the connection are ours, and a fresh client is made per connection.
 */
export class ModbusSerialConnector implements ModbusConnector {
  async connect(settings: ModbusSettings): Promise<ModbusConnection> {
    const socket = await openSocket(settings.host, settings.port, settings.timeoutMs);
    const client = new ModbusRTU();
    client.on('error', () => undefined); // socket errors end the connection; the read in flight reports them
    try {
      await client.linkTCP(socket, { port: settings.port });
    } catch (err) {
      socket.destroy();
      throw transportError(err);
    }
    client.setID(settings.unitId);
    client.setTimeout(settings.timeoutMs);
    return new ModbusSerialConnection(client, socket, settings.timeoutMs);
  }
}

class ModbusSerialConnection implements ModbusConnection {
  private ended: ModbusTransportError | null = null;
  private inFlight: ((err: ModbusTransportError) => void) | null = null;

  constructor(
    private readonly client: ModbusRTU,
    private readonly socket: Socket,
    private readonly timeoutMs: number,
  ) {
    socket.once('close', () => this.end(new ModbusTransportError('closed', 'the device closed the connection')));
    socket.on('error', (err) => this.end(transportError(err)));
  }

  get isOpen(): boolean {
    return this.ended === null;
  }

  read(fn: RegisterFunction, address: number, count: number): Promise<ArrayLike<number | boolean>> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise<ArrayLike<number | boolean>>((resolve, reject) => {
      const guard = setTimeout(() => {
        this.end(new ModbusTransportError('timeout', `no answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs + GUARD_MS);
      const settle = (): void => {
        clearTimeout(guard);
        this.inFlight = null;
      };
      this.inFlight = (err) => {
        settle();
        reject(err);
      };
      this.request(fn, address, count).then(
        (result) => {
          settle();
          resolve(result.data);
        },
        (err: unknown) => {
          settle();
          const error = classify(err);
          // after a time-out a late answer could be taken for the next request's: start afresh
          if (error instanceof ModbusTransportError) this.end(error);
          reject(error);
        },
      );
    });
  }

  close(): void {
    this.end(new ModbusTransportError('closed', 'connection closed by the poller'));
  }

  private request(fn: RegisterFunction, address: number, count: number): Promise<{ data: ArrayLike<number | boolean> }> {
    switch (fn) {
      case 'coil':
        return this.client.readCoils(address, count);
      case 'discrete':
        return this.client.readDiscreteInputs(address, count);
      case 'holding':
        return this.client.readHoldingRegisters(address, count);
      case 'input':
        return this.client.readInputRegisters(address, count);
    }
  }

  private end(reason: ModbusTransportError): void {
    if (this.ended) return;
    this.ended = reason;
    this.socket.destroy();
    this.inFlight?.(reason);
  }
}

function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => fail(new ModbusTransportError('connect_timeout', `no TCP answer from ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: ModbusTransportError): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.once('error', (err) => fail(transportError(err)));
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      resolve(socket);
    });
  });
}

interface LibraryError {
  message?: string;
  modbusCode?: number;
  errno?: string;
  code?: string;
}

function classify(err: unknown): ModbusExceptionError | ModbusTransportError {
  const e = (err ?? {}) as LibraryError;
  if (typeof e.modbusCode === 'number') return new ModbusExceptionError(e.modbusCode);
  return transportError(err);
}

const CODES: Record<string, TransportFailure> = {
  ECONNREFUSED: 'refused',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  ETIMEDOUT: 'timeout',
  ECONNRESET: 'closed',
  EPIPE: 'closed',
};

function transportError(err: unknown): ModbusTransportError {
  if (err instanceof ModbusTransportError) return err;
  const e = (err ?? {}) as LibraryError;
  const message = e.message ?? String(err);
  const failure: TransportFailure =
    CODES[e.code ?? e.errno ?? ''] ??
    (/port not open/i.test(message) ? 'closed' : /crc|length|unexpected/i.test(message) ? 'bad_response' : 'error');
  return new ModbusTransportError(failure, message);
}

import type { ModbusSettings } from '@sw/persistence';
import { modbusExceptionReason, type RegisterFunction } from '@sw/sensors';

/** One open TCP connection to a Modbus device (the port the poller needs; one adapter per library). */
export interface ModbusConnection {
  /**
   * Reads `count` registers (holding, input) or bits (coil, discrete) from `address`. Rejects with
   * a ModbusExceptionError when the device answers with an exception, with a ModbusTransportError
   * for anything that leaves the connection unusable (time-out, reset, garbled response).
   */
  read(fn: RegisterFunction, address: number, count: number): Promise<ArrayLike<number | boolean>>;
  /** Closes the connection at once; a read in flight rejects. Idempotent. */
  close(): void;
  readonly isOpen: boolean;
}

export interface ModbusConnector {
  /** Opens a connection within `settings.timeoutMs`, or rejects with a ModbusTransportError. */
  connect(settings: ModbusSettings): Promise<ModbusConnection>;
}

/**
 * Why a device could not be polled, as a small fixed set (metric label and log text):
 * `refused` nothing listens on the port, `unreachable` no route, `connect_timeout` no answer to
 * the TCP handshake, `timeout` no answer to a request, `closed` the device closed the connection,
 * `bad_response` a garbled frame, `error` anything else at the socket, `not_allowed` the host is
 * outside MODBUS_ALLOWED_CIDRS (never connected to).
 */
export type TransportFailure = 'refused' | 'unreachable' | 'connect_timeout' | 'timeout' | 'closed' | 'bad_response' | 'error' | 'not_allowed';

export class ModbusTransportError extends Error {
  constructor(
    readonly failure: TransportFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ModbusTransportError';
  }
}

/** The device answered, with an exception code instead of data (it is reachable). */
export class ModbusExceptionError extends Error {
  constructor(readonly exceptionCode: number) {
    super(modbusExceptionReason(exceptionCode));
    this.name = 'ModbusExceptionError';
  }

  /** The device refuses the addresses or the length asked for (exception 2 or 3). */
  get refusesAddresses(): boolean {
    return this.exceptionCode === 2 || this.exceptionCode === 3;
  }
}

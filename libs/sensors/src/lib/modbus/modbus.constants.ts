import type { RegisterFunction, RegisterType } from './register-map.types';

/**
 * Protocol limits per request (Modbus Application Protocol V1.1b3 §6.1–6.4): FC1/FC2 read at most
 * 2000 bits, FC3/FC4 at most 125 registers (the 253-byte PDU).
 */
export const MODBUS_READ_LIMITS: Readonly<Record<RegisterFunction, number>> = Object.freeze({
  coil: 2000,
  discrete: 2000,
  holding: 125,
  input: 125,
});

export const MODBUS_FUNCTION_CODES: Readonly<Record<RegisterFunction, 1 | 2 | 3 | 4>> = Object.freeze({
  coil: 1,
  discrete: 2,
  holding: 3,
  input: 4,
});

/** Registers a value of each type occupies (bits for coils and discrete inputs count as 1). */
export const REGISTER_COUNTS: Readonly<Record<RegisterType, 1 | 2 | 4>> = Object.freeze({
  bool: 1,
  int16: 1,
  uint16: 1,
  int32: 2,
  uint32: 2,
  float32: 2,
  float64: 4,
});

/**
 * Unread addresses a merged request may span to save a round trip. A device that refuses an
 * address inside a gap answers the whole request with exception 2; the poller then reads the
 * entries of that request one by one, so a gap never costs more than one failed poll.
 */
export const DEFAULT_MAX_GAP: Readonly<{ registers: number; bits: number }> = Object.freeze({ registers: 16, bits: 128 });

/** Exception codes (Modbus Application Protocol V1.1b3 §7) with the names used in logs and metrics. */
export const MODBUS_EXCEPTIONS: Readonly<Record<number, string>> = Object.freeze({
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
});

/** `exception 2: illegal data address` — one reason string per exception code. */
export function modbusExceptionReason(code: number): string {
  return `exception ${code}: ${MODBUS_EXCEPTIONS[code] ?? 'unknown'}`;
}

/** Modbus data tables (docs/contracts.md §2 `function`): coils FC1, discrete inputs FC2, holding FC3, input FC4. */
export type RegisterFunction = 'coil' | 'discrete' | 'holding' | 'input';

export type RegisterType = 'bool' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/**
 * Byte order of a multi-register value, named after the bytes of its big-endian form `A B C D`
 * (`… H` for 64 bits) as they appear in the registers read: `ABCD` big-endian, `CDAB` word-swapped
 * (registers in reverse order), `BADC` byte-swapped within each register, `DCBA` little-endian.
 */
export type WordOrder = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';

/** One point's register map entry (docs/contracts.md §2); the optional fields take their defaults. */
export interface RegisterSpec {
  function: RegisterFunction;
  /** 0-based protocol address, 0–65535. */
  address: number;
  type: RegisterType;
  /** Multi-register types only; default `ABCD`. */
  wordOrder?: WordOrder;
  /** value = raw × scale + offset; default 1. */
  scale?: number;
  /** Default 0. */
  offset?: number;
}

/** A decoded value, or why there is none (a sensor fault: the reading is `quality: "bad"`). */
export type RegisterValue = { ok: true; value: number } | { ok: false; reason: string };

/** One register map entry to read, under a key of the caller's (e.g. the point code). */
export interface PlannedItem<K = string> {
  key: K;
  spec: RegisterSpec;
}

/** One read request: `count` registers (or bits) of one function from `address`, and what they hold. */
export interface ReadRequest<K = string> {
  function: RegisterFunction;
  address: number;
  count: number;
  items: PlannedItem<K>[];
}

/** The reads for a register map, and the entries that cannot be read as configured. */
export interface ReadPlan<K = string> {
  requests: ReadRequest<K>[];
  invalid: { key: K; reason: string }[];
}

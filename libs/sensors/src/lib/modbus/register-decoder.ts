import { REGISTER_COUNTS } from './modbus.constants';
import type { ReadRequest, RegisterSpec, RegisterValue } from './register-map.types';

// Reasons are constants: a fault costs one small object per poll, nothing else.
const FAULTS = Object.freeze({
  nan: 'register value is NaN',
  infinite: 'register value is infinite',
  scaled: 'register value × scale + offset is not a finite number',
  short: 'response shorter than the register map entry',
});

const scratch = new DataView(new ArrayBuffer(8));

/**
 * Decodes one register map entry from 16-bit register words (docs/contracts.md §2): `words[at]` is the
 * entry's first address. Multi-register types follow `wordOrder`; single-register types ignore it
 * (it names the order of a value's registers, and one register has none). A float32 reads as the
 * shortest decimal with the same bits (0.35, not 0.3499999940395355). NaN and ±Infinity are
 * a fault, never a value: a float that is not a number means a failed instrument or a wrong map.
 */
export function decodeRegisterValue(words: ArrayLike<number>, spec: RegisterSpec, at = 0): RegisterValue {
  const n = REGISTER_COUNTS[spec.type];
  if (at < 0 || at + n > words.length) return { ok: false, reason: FAULTS.short };
  return finish(n === 1 ? singleRegister(words[at] as number, spec) : multiRegister(words, spec, at, n), spec);
}

/** A coil or discrete input: 1 or 0, then × scale + offset (scale −1, offset 1 inverts a contact). */
export function decodeBitValue(bit: boolean | number, spec: RegisterSpec): RegisterValue {
  return finish(bit ? 1 : 0, spec);
}

/**
 * The value of every entry of a request from the data its response carried: register words for
 * holding and input registers, bits for coils and discrete inputs (index 0 = `request.address`).
 */
export function decodeRequest<K>(request: ReadRequest<K>, data: ArrayLike<number | boolean>): { key: K; result: RegisterValue }[] {
  const bits = request.function === 'coil' || request.function === 'discrete';
  return request.items.map(({ key, spec }) => {
    const at = spec.address - request.address;
    if (!bits) return { key, result: decodeRegisterValue(data as ArrayLike<number>, spec, at) };
    const bit = at >= 0 && at < data.length ? data[at] : undefined;
    return { key, result: bit === undefined ? { ok: false, reason: FAULTS.short } : decodeBitValue(bit, spec) };
  });
}

function singleRegister(word: number, spec: RegisterSpec): number {
  const w = word & 0xffff;
  if (spec.type === 'int16') return (w << 16) >> 16; // sign-extend
  if (spec.type === 'bool') return w === 0 ? 0 : 1;
  return w; // uint16
}

function multiRegister(words: ArrayLike<number>, spec: RegisterSpec, at: number, n: number): number {
  const order = spec.wordOrder ?? 'ABCD';
  const wordSwap = order === 'CDAB' || order === 'DCBA';
  const byteSwap = order === 'BADC' || order === 'DCBA';
  // Rebuild the big-endian bytes A B C D (… H) of the value.
  for (let i = 0; i < n; i++) {
    const w = (words[at + (wordSwap ? n - 1 - i : i)] as number) & 0xffff;
    scratch.setUint16(i * 2, byteSwap ? ((w & 0xff) << 8) | (w >> 8) : w, false);
  }
  if (spec.type === 'int32') return scratch.getInt32(0, false);
  if (spec.type === 'uint32') return scratch.getUint32(0, false);
  if (spec.type === 'float32') return shortestFloat32(scratch.getFloat32(0, false));
  return scratch.getFloat64(0, false); // float64, the only 4-register type
}

/**
 * The shortest decimal that is the same float32: a device that stores 0.35 sends the float32 nearest
 * to it, which as a double reads 0.3499999940395355. Nine significant digits always round-trip.
 */
function shortestFloat32(f: number): number {
  if (!Number.isFinite(f) || f === 0) return f;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

function finish(raw: number, spec: RegisterSpec): RegisterValue {
  if (Number.isNaN(raw)) return { ok: false, reason: FAULTS.nan };
  if (!Number.isFinite(raw)) return { ok: false, reason: FAULTS.infinite };
  const value = raw * (spec.scale ?? 1) + (spec.offset ?? 0);
  return Number.isFinite(value) ? { ok: true, value: tidy(value, spec) } : { ok: false, reason: FAULTS.scaled };
}

/**
 * 1234 × 0.1 is 123.4 to a person and 123.40000000000001 to IEEE 754: a scaled value is rounded to
 * 12 significant digits, far below any instrument's resolution, so stored values read as intended.
 */
function tidy(value: number, spec: RegisterSpec): number {
  if ((spec.scale ?? 1) === 1 && (spec.offset ?? 0) === 0) return value;
  return value === 0 ? 0 : Number(value.toPrecision(12));
}

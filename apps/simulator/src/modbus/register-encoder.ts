import { REGISTER_COUNTS, type RegisterSpec } from '@sw/sensors';

const scratch = new DataView(new ArrayBuffer(8));

const INTEGER_RANGE = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
} as const;

/**
 * What a device holds in its registers for `value` under a register map entry: the inverse of
 * @sw/sensors' decodeRegisterValue (raw = (value − offset) / scale, rounded and clamped for
 * integer types, words in the entry's word order).
 */
export function encodeRegisterValue(value: number, spec: RegisterSpec): number[] {
  const raw = (value - (spec.offset ?? 0)) / (spec.scale ?? 1);
  const type = spec.type;
  if (type === 'bool') return [raw >= 0.5 ? 1 : 0];
  if (type === 'float32') scratch.setFloat32(0, raw, false);
  else if (type === 'float64') scratch.setFloat64(0, raw, false);
  else {
    const [min, max] = INTEGER_RANGE[type];
    const n = Math.min(max, Math.max(min, Math.round(raw)));
    if (type === 'int16') scratch.setInt16(0, n, false);
    else if (type === 'uint16') scratch.setUint16(0, n, false);
    else if (type === 'int32') scratch.setInt32(0, n, false);
    else scratch.setUint32(0, n, false);
  }
  const count = REGISTER_COUNTS[type];
  const big = Array.from({ length: count }, (_, i) => scratch.getUint16(i * 2, false));
  if (count === 1) return big;
  const order = spec.wordOrder ?? 'ABCD';
  const byteSwapped = order === 'BADC' || order === 'DCBA' ? big.map((w) => ((w & 0xff) << 8) | (w >> 8)) : big;
  return order === 'CDAB' || order === 'DCBA' ? byteSwapped.reverse() : byteSwapped;
}

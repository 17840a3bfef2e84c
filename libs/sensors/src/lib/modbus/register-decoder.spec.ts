import type { RegisterSpec, RegisterType, WordOrder } from './register-map.types';
import { decodeBitValue, decodeRegisterValue, decodeRequest } from './register-decoder';

const factory = {
  spec: (over: Partial<RegisterSpec> = {}): RegisterSpec => ({ function: 'holding', address: 0, type: 'float32', ...over }),
};

/*
 * Golden vectors: the registers were produced by an independent implementation, pymodbus 3.0.0's
 * BinaryPayloadBuilder (Debian python3-pymodbus), with byteorder/wordorder
 * ABCD = Big/Big, CDAB = Big/Little, BADC = Little/Big, DCBA = Little/Little:
 *   BinaryPayloadBuilder(byteorder=…, wordorder=…).add_32bit_float(-12.5).to_registers()
 * Single-register types ignore the word order (docs/contracts.md §2: "wordOrder (multi-register types)").
 */
type Vector = [value: number, registers: Record<WordOrder, number[]>];
const same = (regs: number[]): Record<WordOrder, number[]> => ({ ABCD: regs, CDAB: regs, BADC: regs, DCBA: regs });

const GOLDEN: Record<Exclude<RegisterType, 'bool'>, Vector[]> = {
  int16: [
    [-2, same([0xfffe])],
    [12345, same([0x3039])],
    [-32768, same([0x8000])],
  ],
  uint16: [
    [65535, same([0xffff])],
    [1, same([0x0001])],
  ],
  int32: [
    [-123456789, { ABCD: [0xf8a4, 0x32eb], CDAB: [0x32eb, 0xf8a4], BADC: [0xa4f8, 0xeb32], DCBA: [0xeb32, 0xa4f8] }],
    [2147483647, { ABCD: [0x7fff, 0xffff], CDAB: [0xffff, 0x7fff], BADC: [0xff7f, 0xffff], DCBA: [0xffff, 0xff7f] }],
    [-1, same([0xffff, 0xffff])],
  ],
  uint32: [
    [4000000000, { ABCD: [0xee6b, 0x2800], CDAB: [0x2800, 0xee6b], BADC: [0x6bee, 0x0028], DCBA: [0x0028, 0x6bee] }],
    [305419896, { ABCD: [0x1234, 0x5678], CDAB: [0x5678, 0x1234], BADC: [0x3412, 0x7856], DCBA: [0x7856, 0x3412] }],
  ],
  float32: [
    [-12.5, { ABCD: [0xc148, 0x0000], CDAB: [0x0000, 0xc148], BADC: [0x48c1, 0x0000], DCBA: [0x0000, 0x48c1] }],
    [1013.25, { ABCD: [0x447d, 0x5000], CDAB: [0x5000, 0x447d], BADC: [0x7d44, 0x0050], DCBA: [0x0050, 0x7d44] }],
    // 0.1 has no exact float32 (the nearest is 0.10000000149011612): it reads as the shortest decimal with the same bits
    [0.1, { ABCD: [0x3dcc, 0xcccd], CDAB: [0xcccd, 0x3dcc], BADC: [0xcc3d, 0xcdcc], DCBA: [0xcdcc, 0xcc3d] }],
  ],
  float64: [
    [-1234.5678, {
      ABCD: [0xc093, 0x4a45, 0x6d5c, 0xfaad], CDAB: [0xfaad, 0x6d5c, 0x4a45, 0xc093],
      BADC: [0x93c0, 0x454a, 0x5c6d, 0xadfa], DCBA: [0xadfa, 0x5c6d, 0x454a, 0x93c0],
    }],
    [6.02214076e23, {
      ABCD: [0x44df, 0xe185, 0xca57, 0xc517], CDAB: [0xc517, 0xca57, 0xe185, 0x44df],
      BADC: [0xdf44, 0x85e1, 0x57ca, 0x17c5], DCBA: [0x17c5, 0x57ca, 0x85e1, 0xdf44],
    }],
  ],
};

// From the same builder: add_32bit_float(nan / inf / -inf), add_64bit_float(…).
const NON_FINITE: [type: 'float32' | 'float64', what: string, registers: Record<WordOrder, number[]>][] = [
  ['float32', 'NaN', { ABCD: [0x7fc0, 0x0000], CDAB: [0x0000, 0x7fc0], BADC: [0xc07f, 0x0000], DCBA: [0x0000, 0xc07f] }],
  ['float32', 'Infinity', { ABCD: [0x7f80, 0x0000], CDAB: [0x0000, 0x7f80], BADC: [0x807f, 0x0000], DCBA: [0x0000, 0x807f] }],
  ['float32', '-Infinity', { ABCD: [0xff80, 0x0000], CDAB: [0x0000, 0xff80], BADC: [0x80ff, 0x0000], DCBA: [0x0000, 0x80ff] }],
  ['float64', 'NaN', { ABCD: [0x7ff8, 0, 0, 0], CDAB: [0, 0, 0, 0x7ff8], BADC: [0xf87f, 0, 0, 0], DCBA: [0, 0, 0, 0xf87f] }],
  ['float64', 'Infinity', { ABCD: [0x7ff0, 0, 0, 0], CDAB: [0, 0, 0, 0x7ff0], BADC: [0xf07f, 0, 0, 0], DCBA: [0, 0, 0, 0xf07f] }],
  ['float64', '-Infinity', { ABCD: [0xfff0, 0, 0, 0], CDAB: [0, 0, 0, 0xfff0], BADC: [0xf0ff, 0, 0, 0], DCBA: [0, 0, 0, 0xf0ff] }],
];

const ORDERS: WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];
const rows = Object.entries(GOLDEN).flatMap(([type, vectors]) =>
  ORDERS.flatMap((order) => vectors.map(([value, regs]) => [type as RegisterType, order, value, regs[order]] as const)),
);

describe('decodeRegisterValue', () => {
  // docs/contracts.md §2: every type × word order, negative numbers included
  it.each(rows)('%s %s decodes %p from %j', (type, wordOrder, value, registers) => {
    expect(decodeRegisterValue(registers, factory.spec({ type, wordOrder }))).toEqual({ ok: true, value });
  });

  it.each(NON_FINITE.flatMap(([type, what, regs]) => ORDERS.map((order) => [type, order, what, regs[order]] as const)))(
    '%s %s %s is a fault, not a value',
    (type, wordOrder, what, registers) => {
      const sut = decodeRegisterValue(registers, factory.spec({ type, wordOrder }));
      expect(sut).toEqual({ ok: false, reason: what === 'NaN' ? 'register value is NaN' : 'register value is infinite' });
    },
  );

  it('reads a float32 as the shortest decimal with the same bits, keeping every bit of precision', () => {
    const f32 = (x: number) => { const v = new DataView(new ArrayBuffer(4)); v.setFloat32(0, x); return [v.getUint16(0), v.getUint16(2)]; };
    expect(decodeRegisterValue(f32(0.35), factory.spec())).toEqual({ ok: true, value: 0.35 });
    expect(decodeRegisterValue(f32(123.456), factory.spec())).toEqual({ ok: true, value: 123.456 });
    expect(decodeRegisterValue(f32(1.17549435e-38), factory.spec())).toEqual({ ok: true, value: 1.1754944e-38 });
    // the nearest float32 to 16777217 is 16777216
    expect(decodeRegisterValue(f32(16777217), factory.spec())).toEqual({ ok: true, value: 16777216 });
  });

  it('reads ABCD when no word order is given', () => {
    expect(decodeRegisterValue([0xc148, 0x0000], { function: 'input', address: 7, type: 'float32' })).toEqual({ ok: true, value: -12.5 });
  });

  it('applies value = raw × scale + offset without float noise', () => {
    // docs/contracts.md §2: value = raw × scale + offset
    expect(decodeRegisterValue([1234], factory.spec({ type: 'int16', scale: 0.1 }))).toEqual({ ok: true, value: 123.4 });
    expect(decodeRegisterValue([0xfffe], factory.spec({ type: 'int16', scale: 0.5, offset: 10 }))).toEqual({ ok: true, value: 9 });
    expect(decodeRegisterValue([4000], factory.spec({ type: 'uint16', scale: 0.001, offset: -0.1 }))).toEqual({ ok: true, value: 3.9 });
    expect(decodeRegisterValue([0x0000, 0xc148], factory.spec({ wordOrder: 'CDAB', scale: -2 }))).toEqual({ ok: true, value: 25 });
  });

  it('is a fault when scaling overflows to infinity', () => {
    const sut = decodeRegisterValue([0x7fef, 0xffff, 0xffff, 0xffff], factory.spec({ type: 'float64', scale: 10 }));
    expect(sut).toEqual({ ok: false, reason: 'register value × scale + offset is not a finite number' });
  });

  it('reads a bool from a register as 0 or 1', () => {
    expect(decodeRegisterValue([0], factory.spec({ type: 'bool' }))).toEqual({ ok: true, value: 0 });
    expect(decodeRegisterValue([0x8000], factory.spec({ type: 'bool' }))).toEqual({ ok: true, value: 1 });
  });

  it('reads from an offset inside a merged response and refuses to read past its end', () => {
    const words = [0, 0, 0x447d, 0x5000];
    expect(decodeRegisterValue(words, factory.spec(), 2)).toEqual({ ok: true, value: 1013.25 });
    expect(decodeRegisterValue(words, factory.spec(), 3)).toEqual({ ok: false, reason: 'response shorter than the register map entry' });
  });
});

describe('decodeBitValue', () => {
  it('gives 1 or 0, with scale and offset (−1 and 1 invert a normally-closed contact)', () => {
    const bool = factory.spec({ function: 'coil', type: 'bool' });
    expect(decodeBitValue(true, bool)).toEqual({ ok: true, value: 1 });
    expect(decodeBitValue(false, bool)).toEqual({ ok: true, value: 0 });
    expect(decodeBitValue(true, { ...bool, scale: -1, offset: 1 })).toEqual({ ok: true, value: 0 });
  });
});

describe('decodeRequest', () => {
  it('decodes every entry of a merged register request at its own offset', () => {
    const request = {
      function: 'holding' as const,
      address: 100,
      count: 5,
      items: [
        { key: 'FL', spec: factory.spec({ address: 100, wordOrder: 'CDAB' as const }) },
        { key: 'ML', spec: factory.spec({ address: 104, type: 'int16' as const, scale: 0.1 }) },
      ],
    };
    expect(decodeRequest(request, [0x0000, 0x42f0, 0, 0, 1205])).toEqual([
      { key: 'FL', result: { ok: true, value: 120 } },
      { key: 'ML', result: { ok: true, value: 120.5 } },
    ]);
  });

  it('decodes bits of a merged coil request', () => {
    const bool = (address: number) => factory.spec({ function: 'coil', type: 'bool', address });
    const request = { function: 'coil' as const, address: 8, count: 3, items: [{ key: 'A', spec: bool(8) }, { key: 'C', spec: bool(10) }] };
    // modbus-serial pads the bits of a response to whole bytes
    expect(decodeRequest(request, [true, true, false, false, false, false, false, false])).toEqual([
      { key: 'A', result: { ok: true, value: 1 } },
      { key: 'C', result: { ok: true, value: 0 } },
    ]);
  });
});

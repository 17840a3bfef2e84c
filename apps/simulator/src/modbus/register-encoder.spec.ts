import { decodeRegisterValue, type RegisterSpec, type RegisterType, type WordOrder } from '@sw/sensors';
import { encodeRegisterValue } from './register-encoder';

const spec = (type: RegisterType, wordOrder: WordOrder, over: Partial<RegisterSpec> = {}): RegisterSpec => ({
  function: 'holding', address: 0, type, wordOrder, ...over,
});

describe(encodeRegisterValue.name, () => {
  it('writes float32 CDAB as pymodbus does (118.5 → 0x0000 0x42ED)', () => {
    // the register words pymodbus 3.0.0's BinaryPayloadBuilder(wordorder=Little) gives for 118.5
    expect(encodeRegisterValue(118.5, spec('float32', 'CDAB'))).toEqual([0x0000, 0x42ed]);
  });

  it.each([
    ['int16', -1234], ['uint16', 60000], ['int32', -123456789], ['uint32', 4000000000], ['float32', -12.5], ['float64', -1234.5678],
  ] as const)('round-trips %s %p through the platform decoder in every word order', (type, value) => {
    for (const order of ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const) {
      expect(decodeRegisterValue(encodeRegisterValue(value, spec(type, order)), spec(type, order))).toEqual({ ok: true, value });
    }
  });

  it('applies scale and offset and clamps integers to their range', () => {
    expect(encodeRegisterValue(120.34, spec('int16', 'ABCD', { scale: 0.1 }))).toEqual([1203]);
    expect(encodeRegisterValue(-5, spec('uint16', 'ABCD'))).toEqual([0]);
    expect(encodeRegisterValue(1, spec('bool', 'ABCD'))).toEqual([1]);
  });
});

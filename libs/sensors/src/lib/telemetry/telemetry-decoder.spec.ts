import { POINT_CATALOG } from '../catalog/point-catalog.constants';
import { TELEMETRY_LIMITS } from './telemetry.constants';
import { type DecodedReading } from './telemetry.types';
import { checkReadingForPoint, decodeTelemetry } from './telemetry-decoder';

const RECEIVED_AT = Date.UTC(2026, 10, 28, 10, 0, 0); // 2026-11-28T10:00:00Z
const MESSAGE_TS = RECEIVED_AT - 2_000;

type Json = Record<string, unknown>;
const factory = {
  reading: (over: Json = {}): Json => ({ point: 'CO-01', value: 18.2, ...over }),
  message: (over: Json = {}): Json => ({ ts: MESSAGE_TS, seq: 17, readings: [factory.reading()], ...over }),
  decoded: (over: Partial<DecodedReading> = {}): DecodedReading => ({
    point: 'CO-01', value: 18.2, ts: MESSAGE_TS, quality: 'good', boolean: false, ...over,
  }),
};
const decode = (message: unknown) => decodeTelemetry(JSON.stringify(message), RECEIVED_AT);
const decodeOne = (reading: Json) => decode(factory.message({ readings: [reading] }));

describe('decodeTelemetry', () => {
  describe('the message', () => {
    it('decodes the docs/contracts.md example', () => {
      // docs/contracts.md §1: telemetry payload example
      const sut = decode({
        ts: 1795831200000,
        seq: 17,
        readings: [
          { point: 'CO-01', value: 18.2 },
          { point: 'HOPPER-T1', value: 41.5, ts: '2026-11-28T18:00:00+08:00', quality: 'good' },
          { point: 'SPARK-1', value: true },
        ],
      });
      expect(sut).toEqual({
        seq: 17,
        ts: 1795831200000,
        errors: [],
        readings: [
          factory.decoded({ ts: 1795831200000 }),
          factory.decoded({ point: 'HOPPER-T1', value: 41.5, ts: Date.UTC(2026, 10, 28, 10) }),
          factory.decoded({ point: 'SPARK-1', value: 1, ts: 1795831200000, boolean: true }),
        ],
      });
    });

    it('takes UTF-8 bytes as well as a string', () => {
      // docs/contracts.md §1: the payload is UTF-8 JSON
      const text = JSON.stringify(factory.message({ readings: [factory.reading({ point: 'T-1', note: '温度' })] }));
      expect(decodeTelemetry(new TextEncoder().encode(text), RECEIVED_AT)).toEqual(decodeTelemetry(text, RECEIVED_AT));
    });

    it('rejects malformed UTF-8 as a whole', () => {
      // docs/contracts.md §1: UTF-8 JSON; anything else is rejected with a reason
      const bytes = Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]);
      expect(decodeTelemetry(bytes, RECEIVED_AT)).toEqual({ seq: null, ts: null, readings: [], errors: [{ reason: 'payload is not valid UTF-8' }] });
    });

    it.each(['{', 'not json', '', '{"readings": [}'])('rejects %p as invalid JSON', (text) => {
      // docs/contracts.md §1: no `point` when the whole message is rejected, e.g. "reason": "invalid JSON"
      expect(decodeTelemetry(text, RECEIVED_AT)).toEqual({ seq: null, ts: null, readings: [], errors: [{ reason: 'invalid JSON' }] });
    });

    it.each([['[]'], ['42'], ['null'], ['"x"']])('rejects %s: not a JSON object', (text) => {
      // docs/contracts.md §1: the payload is an object with `readings`
      expect(decodeTelemetry(text, RECEIVED_AT).errors).toEqual([{ reason: 'payload must be a JSON object' }]);
    });

    it('accepts exactly 256 KiB and rejects one byte more, naming the limit', () => {
      // docs/contracts.md §1: at most 256 KiB
      const base = JSON.stringify(factory.message({ pad: '' }));
      const fits = JSON.stringify(factory.message({ pad: 'x'.repeat(TELEMETRY_LIMITS.maxBytes - base.length) }));
      expect(fits.length).toBe(262_144);
      expect(decodeTelemetry(fits, RECEIVED_AT).readings).toHaveLength(1);
      const sut = decodeTelemetry(new TextEncoder().encode(`${fits} `), RECEIVED_AT);
      expect(sut.readings).toEqual([]);
      expect(sut.errors).toEqual([{ reason: expect.stringContaining('256 KiB') }]);
    });

    it('counts UTF-8 bytes, not characters, of a string payload', () => {
      // docs/contracts.md §1: "at most 256 KiB" of UTF-8 — 90,000 × '中' is 270,000 bytes
      const text = JSON.stringify(factory.message({ pad: '中'.repeat(90_000) }));
      expect(text.length).toBeLessThan(TELEMETRY_LIMITS.maxBytes);
      expect(decodeTelemetry(text, RECEIVED_AT).errors).toEqual([{ reason: expect.stringContaining('262144 bytes') }]);
    });

    it.each([[undefined], [[]], [{}], ['CO-01'], [null]])('rejects readings %p: not a non-empty array', (readings) => {
      // docs/contracts.md §1 / brief: `readings` must be a non-empty array
      const sut = decode(factory.message({ readings }));
      expect(sut).toMatchObject({ seq: 17, readings: [], errors: [{ reason: 'readings must be a non-empty array' }] });
    });

    it('accepts 1,000 readings and rejects 1,001 as a whole', () => {
      // docs/contracts.md §1: at most 1,000 readings
      const many = (n: number) => Array.from({ length: n }, (_, i) => factory.reading({ point: `P-${i}` }));
      const full = decode(factory.message({ readings: many(1_000) }));
      expect(full.errors).toEqual([]);
      expect(full.readings).toHaveLength(1_000);
      expect(full.readings[999]).toEqual(factory.decoded({ point: 'P-999' }));
      const over = decode(factory.message({ readings: many(1_001) }));
      expect(over.readings).toEqual([]);
      expect(over.errors).toEqual([{ reason: 'too many readings: 1001 (at most 1000)' }]);
    });

    it('returns seq, null when absent', () => {
      // docs/contracts.md §1: `seq` is optional; errors carry "seq": null when the message had none
      expect(decode(factory.message({ seq: 0 })).seq).toBe(0);
      expect(decode(factory.message({ seq: undefined })).seq).toBeNull();
      expect(decode(factory.message({ seq: null })).seq).toBeNull();
    });

    it.each([[-1], [1.5], ['17'], [true], [2 ** 53]])('rejects the message for seq %p', (seq) => {
      // brief: `seq` optional non-negative integer; an invalid one is reported and read as null
      const sut = decode(factory.message({ seq }));
      expect(sut).toEqual({ seq: null, ts: null, readings: [], errors: [{ reason: 'seq must be a non-negative integer' }] });
    });

    it('gives readings without ts the message ts, else the time of receipt', () => {
      // docs/contracts.md §1: `ts` absent → the time of receipt; the message ts applies to its readings
      expect(decode(factory.message()).readings[0]?.ts).toBe(MESSAGE_TS);
      const sut = decode(factory.message({ ts: undefined }));
      expect(sut.ts).toBeNull();
      expect(sut.readings[0]?.ts).toBe(RECEIVED_AT);
    });

    it('takes an ISO 8601 message ts with an offset', () => {
      // docs/contracts.md §1: ts is epoch ms or ISO 8601 with an offset
      expect(decode(factory.message({ ts: '2026-11-28T17:59:00+08:00' })).ts).toBe(Date.UTC(2026, 10, 28, 9, 59));
    });

    it.each([
      ['2026-11-28T18:00:00', 'ts must include a UTC offset (Z or ±hh:mm)'],
      [RECEIVED_AT + 300_001, 'ts is more than 5 minutes in the future'],
      [1795831200, expect.stringContaining('not seconds')],
    ])('rejects the whole message for message ts %p', (ts, reason) => {
      // brief: a bad message-level ts rejects the whole message
      expect(decode(factory.message({ ts }))).toEqual({ seq: 17, ts: null, readings: [], errors: [{ reason }] });
    });

    it('ignores unknown properties', () => {
      // brief: unknown properties are ignored
      const sut = decode(factory.message({ gateway: 'x', readings: [factory.reading({ unit: 'ppm', extra: { a: 1 } })] }));
      expect(sut).toMatchObject({ errors: [], readings: [factory.decoded()] });
    });
  });

  describe('a reading', () => {
    it('accepts the valid readings of a message and rejects the others one by one', () => {
      // docs/contracts.md §1: valid readings of a message are accepted even when others in it are not
      const sut = decode(factory.message({
        readings: [factory.reading({ point: 'A' }), factory.reading({ point: 'B', value: 'high' }), factory.reading({ point: 'C', quality: 'ok' })],
      }));
      expect(sut.readings).toEqual([factory.decoded({ point: 'A' })]);
      expect(sut.errors).toEqual([
        { point: 'B', reason: 'value must be a finite number or true/false' },
        { point: 'C', reason: 'quality must be good, uncertain or bad' },
      ]);
    });

    it.each([[0], [-12.5], [1e300], [41.5]])('takes the finite number %p', (value) => {
      // docs/contracts.md §1: `value` is a finite number
      expect(decodeOne(factory.reading({ value })).readings).toEqual([factory.decoded({ value })]);
    });

    it.each([[true, 1], [false, 0]])('stores %p as %p and marks it boolean', (value, stored) => {
      // docs/contracts.md §1: true/false for digital points, stored as 1/0
      expect(decodeOne(factory.reading({ value })).readings).toEqual([factory.decoded({ value: stored, boolean: true })]);
    });

    it.each([['18.2'], [null], [undefined], [[1]], [{ v: 1 }], ['NaN']])('rejects the value %p', (value) => {
      // docs/contracts.md §1: value is a finite number or true/false; strings, null, others rejected
      expect(decodeOne(factory.reading({ value })).errors).toEqual([{ point: 'CO-01', reason: 'value must be a finite number or true/false' }]);
    });

    it('rejects a value that overflows to Infinity', () => {
      // brief: NaN/Infinity rejected — JSON has no NaN, but 1e999 parses to Infinity
      const sut = decodeTelemetry('{"readings":[{"point":"CO-01","value":1e999},{"point":"CO-02","value":-1e999}]}', RECEIVED_AT);
      expect(sut.readings).toEqual([]);
      expect(sut.errors.map((e) => e.point)).toEqual(['CO-01', 'CO-02']);
    });

    it.each([['good'], ['uncertain'], ['bad']] as const)('takes quality %p', (quality) => {
      // docs/contracts.md §1: quality good | uncertain | bad
      expect(decodeOne(factory.reading({ quality })).readings).toEqual([factory.decoded({ quality })]);
    });

    it('defaults quality to good', () => {
      // docs/contracts.md §1: `good` (default)
      expect(decodeOne(factory.reading({ quality: undefined })).readings[0]?.quality).toBe('good');
      expect(decodeOne(factory.reading({ quality: null })).readings[0]?.quality).toBe('good');
    });

    it.each([['BAD'], ['ok'], [''], [0], [true]])('rejects quality %p', (quality) => {
      // brief: anything other than good, uncertain, bad is rejected
      expect(decodeOne(factory.reading({ quality })).errors).toEqual([{ point: 'CO-01', reason: 'quality must be good, uncertain or bad' }]);
    });

    it.each([['A'], ['0'], ['CO-01'], ['hopper_t1'], [`P${'x'.repeat(63)}`]])('takes the point code %p', (point) => {
      // brief: point matches ^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$
      expect(decodeOne(factory.reading({ point })).readings).toEqual([factory.decoded({ point })]);
    });

    it.each([[''], ['-A'], ['_A'], ['CO 01'], ['CO.01'], ['温度'], [`P${'x'.repeat(64)}`], [17], [null], [undefined]])(
      'rejects the point code %p, locating the reading by index',
      (point) => {
        // brief: point must match the code pattern; an unknown point is not echoed back
        const sut = decode(factory.message({ readings: [factory.reading({ point: 'OK' }), factory.reading({ point })] }));
        expect(sut.readings).toHaveLength(1);
        expect(sut.errors).toEqual([{ reason: expect.stringMatching(/^readings\[1\]: point must be a string of 1 to 64/) }]);
      },
    );

    it.each([[null], [42], ['CO-01'], [[]]])('rejects the reading %p: not an object', (reading) => {
      // docs/contracts.md §1: each reading is an object with point and value
      const sut = decode(factory.message({ readings: [reading] }));
      expect(sut.errors).toEqual([{ reason: 'readings[0] must be a JSON object' }]);
    });

    it('counts the same point and millisecond twice in a message as one reading, the later winning', () => {
      // docs/contracts.md §1: two readings of one point with the same millisecond are one reading (the later wins)
      const sut = decode(factory.message({
        readings: [
          factory.reading({ value: 1 }),
          factory.reading({ point: 'CO-02', value: 2 }),
          factory.reading({ value: 3, ts: MESSAGE_TS }),
          factory.reading({ value: 4, ts: MESSAGE_TS - 1 }),
        ],
      }));
      expect(sut.errors).toEqual([]);
      expect(sut.readings).toEqual([
        factory.decoded({ value: 3 }),
        factory.decoded({ point: 'CO-02', value: 2 }),
        factory.decoded({ value: 4, ts: MESSAGE_TS - 1 }),
      ]);
      const pair = decode(factory.message({ readings: [factory.reading({ value: 1 }), factory.reading({ value: 2 })] }));
      expect(pair.readings).toEqual([factory.decoded({ value: 2 })]);
    });

    it('finds repeated readings in a large message too (past the scanning limit)', () => {
      // docs/contracts.md §1: the same point and millisecond are one reading, whatever the size of the message
      const readings = Array.from({ length: 40 }, (_, i) => factory.reading({ value: i, ts: MESSAGE_TS - (i % 20) }));
      const sut = decode(factory.message({ readings }));
      expect(sut.errors).toEqual([]);
      expect(sut.readings).toEqual(Array.from({ length: 20 }, (_, i) => factory.decoded({ value: i + 20, ts: MESSAGE_TS - i })));
    });
  });
});

describe('checkReadingForPoint', () => {
  it('refuses true/false for an analog point', () => {
    // docs/contracts.md §1: true/false are for digital points
    expect(checkReadingForPoint(factory.decoded({ value: 1, boolean: true }), POINT_CATALOG.co)).toBe('value true/false is only for digital points');
    expect(checkReadingForPoint(factory.decoded({ value: 1 }), POINT_CATALOG.co)).toBeNull();
  });

  it.each([[0, false], [1, false], [0, true], [1, true]])('takes %p (boolean %p) for a digital point', (value, boolean) => {
    // docs/domain.md: digital 0/1
    expect(checkReadingForPoint(factory.decoded({ value, boolean }), POINT_CATALOG.spark_detected)).toBeNull();
  });

  it.each([[2], [-1], [0.5]])('refuses %p for a digital point', (value) => {
    // docs/domain.md: digital points are 0/1
    expect(checkReadingForPoint(factory.decoded({ value }), POINT_CATALOG.casting_active)).toBe('value of a digital point must be 0, 1, true or false');
  });
});

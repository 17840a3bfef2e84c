import { decodeTelemetry } from './telemetry-decoder';
import { parseIsoDateTime, parseTs, TS_REASONS } from './telemetry-timestamp';

const RECEIVED_AT = Date.UTC(2026, 10, 28, 10, 0, 0); // 2026-11-28T10:00:00Z
const MESSAGE_TS = RECEIVED_AT - 60_000;

const factory = {
  message: (readingTs: unknown) =>
    JSON.stringify({ ts: MESSAGE_TS, readings: [{ point: 'CO-01', value: 1, ts: readingTs }] }),
};
const decodeReadingTs = (ts: unknown) => decodeTelemetry(factory.message(ts), RECEIVED_AT);

describe('reading ts (decodeTelemetry)', () => {
  it('wins over the message ts', () => {
    // docs/contracts.md §1: ts at message or reading level, the reading's wins
    expect(decodeReadingTs(RECEIVED_AT - 5_000).readings[0]?.ts).toBe(RECEIVED_AT - 5_000);
    expect(decodeReadingTs('2026-11-28T17:59:30.250+08:00').readings[0]?.ts).toBe(RECEIVED_AT - 29_750);
  });

  it('falls back to the message ts when the reading has none', () => {
    // docs/contracts.md §1: absent at reading level → the message's
    expect(decodeReadingTs(undefined).readings[0]?.ts).toBe(MESSAGE_TS);
    expect(decodeReadingTs(null).readings[0]?.ts).toBe(MESSAGE_TS);
  });

  it('accepts exactly 5 minutes in the future and rejects one millisecond more', () => {
    // docs/contracts.md §1: more than 5 minutes in the future → rejected
    expect(decodeReadingTs(RECEIVED_AT + 300_000).readings).toHaveLength(1);
    expect(decodeReadingTs(RECEIVED_AT + 300_001).errors).toEqual([{ point: 'CO-01', reason: 'ts is more than 5 minutes in the future' }]);
    expect(decodeReadingTs('2026-11-28T18:05:01+08:00').errors[0]?.reason).toBe(TS_REASONS.future);
  });

  it('accepts older data', () => {
    // docs/contracts.md §1: older data (store-and-forward after an outage) is accepted
    const weekAgo = RECEIVED_AT - 7 * 86_400_000;
    expect(decodeReadingTs(weekAgo).readings[0]?.ts).toBe(weekAgo);
    expect(decodeReadingTs('2001-01-01T00:00:00Z').readings[0]?.ts).toBe(Date.UTC(2001, 0, 1));
  });

  it.each([
    ['seconds since the epoch', 1_795_831_200, TS_REASONS.tooEarly],
    ['a clock reset to 1970', 3_600_000, TS_REASONS.tooEarly],
    ['a negative number', -1, TS_REASONS.negative],
    ['fractional milliseconds', RECEIVED_AT + 0.5, TS_REASONS.notInteger],
    ['microseconds', RECEIVED_AT * 1000, TS_REASONS.tooLarge],
    ['nanoseconds', RECEIVED_AT * 1e6, TS_REASONS.tooLarge],
    ['a string without offset', '2026-11-28T18:00:00', TS_REASONS.noOffset],
    ['a date only', '2026-11-28', TS_REASONS.format],
    ['digits in a string', '1795831200000', TS_REASONS.format],
    ['an impossible date', '2026-02-30T00:00:00Z', TS_REASONS.invalidDate],
    ['a boolean', true, TS_REASONS.format],
    ['an object', { ms: 1 }, TS_REASONS.format],
    ['a date before 2000', '1999-12-31T23:59:59Z', TS_REASONS.tooEarly],
  ])('rejects %s with a reason that says why', (_, ts, reason) => {
    // brief: integer epoch ms or ISO 8601 with offset; implausible numbers rejected with a clear reason
    expect(decodeReadingTs(ts)).toMatchObject({ readings: [], errors: [{ point: 'CO-01', reason }] });
  });

  it('rejects only the reading whose ts is bad', () => {
    // docs/contracts.md §1: valid readings of a message are accepted even when others in it are not
    const text = JSON.stringify({ readings: [{ point: 'A', value: 1, ts: -5 }, { point: 'B', value: 2 }] });
    const sut = decodeTelemetry(text, RECEIVED_AT);
    expect(sut.readings.map((r) => r.point)).toEqual(['B']);
    expect(sut.errors).toEqual([{ point: 'A', reason: TS_REASONS.negative }]);
  });
});

describe('parseTs', () => {
  it('takes the earliest plausible millisecond, 2000-01-01T00:00:00Z', () => {
    // brief: reject implausible numbers such as seconds since the epoch
    expect(parseTs(946_684_800_000, RECEIVED_AT)).toBe(946_684_800_000);
    expect(parseTs(946_684_799_999, RECEIVED_AT)).toBe(TS_REASONS.tooEarly);
  });
});

describe('parseIsoDateTime', () => {
  it.each([
    ['2026-11-28T10:00:00Z', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28t10:00:00z', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28T18:00:00+08:00', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28T04:30:00-05:30', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28T10:00:00-00:00', Date.UTC(2026, 10, 28, 10)],
    ['2026-11-28T10:00:00.5Z', Date.UTC(2026, 10, 28, 10, 0, 0, 500)],
    ['2026-11-28T10:00:00.12Z', Date.UTC(2026, 10, 28, 10, 0, 0, 120)],
    ['2026-11-28T10:00:00.123456789Z', Date.UTC(2026, 10, 28, 10, 0, 0, 123)],
    ['2028-02-29T00:00:00+08:00', Date.UTC(2028, 1, 28, 16)],
    ['2026-01-01T07:59:59+08:00', Date.UTC(2025, 11, 31, 23, 59, 59)],
  ])('parses %s', (text, ms) => {
    // docs/contracts.md §1: ISO 8601 with an offset (Z or ±hh:mm); milliseconds kept, finer digits dropped
    expect(parseIsoDateTime(text)).toBe(ms);
  });

  it.each([
    ['2026-11-28T10:00:00', TS_REASONS.noOffset],
    ['2026-11-28T10:00:00.250', TS_REASONS.noOffset],
    ['2026-11-28 10:00:00Z', TS_REASONS.format],
    ['2026-11-28T10:00Z', TS_REASONS.format],
    ['2026-11-28T10:00:00.Z', TS_REASONS.format],
    ['2026-11-28T10:00:00+0800', TS_REASONS.format],
    ['2026-11-28T10:00:00+08', TS_REASONS.format],
    ['2026-11-28T10:00:00+24:00', TS_REASONS.format],
    ['2026-11-28T10:00:00Z ', TS_REASONS.format],
    ['20261128T100000Z', TS_REASONS.format],
    ['2026-1x-28T10:00:00Z', TS_REASONS.format],
    ['2026-13-01T00:00:00Z', TS_REASONS.invalidDate],
    ['2026-02-29T00:00:00Z', TS_REASONS.invalidDate],
    ['2100-02-29T00:00:00Z', TS_REASONS.invalidDate],
    ['2026-11-00T00:00:00Z', TS_REASONS.invalidDate],
    ['2026-11-28T24:00:00Z', TS_REASONS.invalidDate],
    ['2026-11-28T10:60:00Z', TS_REASONS.invalidDate],
    ['2026-11-28T10:00:60Z', TS_REASONS.invalidDate],
  ])('rejects %p', (text, reason) => {
    // docs/contracts.md §1 / brief: strings without an offset are rejected; so is anything not a date-time
    expect(parseIsoDateTime(text)).toBe(reason);
  });
});

import { influxDuration, influxIdentifier, influxOneOf, influxPrefix, influxString, influxTime } from './influxql';

// docs/style.md "InfluxQL in one place": every value is written as an escaped literal of its kind
describe('influxql', () => {
  it('quotes strings, escaping quotes and backslashes so a value cannot end the literal', () => {
    expect(influxString('CO-01')).toBe("'CO-01'");
    expect(influxString("x' OR '1'='1")).toBe("'x\\' OR \\'1\\'=\\'1'");
    expect(influxString('a\\')).toBe("'a\\\\'");
  });

  it('quotes identifiers, escaping double quotes and backslashes', () => {
    expect(influxIdentifier('reading')).toBe('"reading"');
    expect(influxIdentifier('a"b\\')).toBe('"a\\"b\\\\"');
  });

  it('writes instants as RFC 3339 string literals', () => {
    expect(influxTime(Date.UTC(2026, 11, 1))).toBe("'2026-12-01T00:00:00.000Z'");
    expect(influxTime(new Date('2026-12-01T08:00:00+08:00'))).toBe("'2026-12-01T00:00:00.000Z'");
  });

  it('matches a prefix or a set literally: regex metacharacters and the closing slash are escaped', () => {
    expect(influxPrefix('3205')).toBe('/^3205/');
    expect(influxPrefix('32.*/ OR 1=1')).toBe('/^32\\.\\*\\/ OR 1=1/');
    expect(influxOneOf(['00000000-0000-4000-8000-000000000001', 'a|b'])).toBe('/^(00000000-0000-4000-8000-000000000001|a\\|b)$/');
    expect(new RegExp(influxPrefix('3.0').slice(1, -1)).test('3x0')).toBe(false);
  });

  it('accepts InfluxQL durations only', () => {
    expect(influxDuration('5m')).toBe('5m');
    expect(influxDuration('1d')).toBe('1d');
    for (const bad of ['', '0m', '5', '5m) fill(0', '1y', '-1h']) expect(() => influxDuration(bad)).toThrow(RangeError);
  });
});

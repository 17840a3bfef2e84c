import { escapeTag, linePrefix, readingLine } from './line-protocol';

describe('line protocol', () => {
  // InfluxDB line protocol: commas, equals signs and spaces in tag keys and values are escaped
  it('escapes the characters that would split a tag', () => {
    expect(escapeTag('a b,c=d\\e')).toBe('a\\ b\\,c\\=d\\\\e');
    expect(escapeTag('GW-0001')).toBe('GW-0001');
  });

  // ARCHITECTURE.md §Stores: measurement `reading`; tags enterprise, gateway, point, type, region
  it('writes the measurement and the five tags sorted by key', () => {
    const sut = linePrefix({ point: 'p1', enterprise: 'e1', type: 'co', region: '320505', gateway: 'GW 1' });
    expect(sut).toBe('reading,enterprise=e1,gateway=GW\\ 1,point=p1,region=320505,type=co');
  });

  // ARCHITECTURE.md §Stores: field `value` (float) and `quality` only when not good
  it('writes value as a float field and quality only when it is not good', () => {
    expect(readingLine('reading,point=p', 18.2, 'good', 1795831200000)).toBe('reading,point=p value=18.2 1795831200000');
    expect(readingLine('reading,point=p', 1, 'bad', 5)).toBe('reading,point=p value=1,quality="bad" 5');
    expect(readingLine('reading,point=p', -0.5, 'uncertain', 5)).toBe('reading,point=p value=-0.5,quality="uncertain" 5');
  });

  // CONTRACTS.md §2: a failed register read is a bad reading; it has no value to store
  it('writes a bad reading without a value as its quality alone', () => {
    expect(readingLine('reading,point=p', Number.NaN, 'bad', 5)).toBe('reading,point=p quality="bad" 5');
  });
});

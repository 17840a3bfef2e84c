import { escapeTag, LineBatch, linePrefix } from './line-protocol';

/** One reading's line as a batch writes it. */
function readingLine(prefix: string, value: number, quality: string, tsMs: number): string {
  const sut = new LineBatch();
  sut.add(Buffer.from(prefix), value, quality, tsMs);
  return sut.toString().replace(/\n$/, '');
}

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

  // InfluxDB /write: one line a reading; the time in ms as an integer, whatever its size
  it('writes one line a reading and integer timestamps of any size', () => {
    const sut = new LineBatch(16); // grows past its first capacity
    const prefix = Buffer.from('reading,point=p');
    for (const ts of [0, 7, 10, 999, 1795831200000, Number.MAX_SAFE_INTEGER]) sut.add(prefix, 1.5, 'good', ts);
    expect(sut.count).toBe(6);
    expect(sut.toString().split('\n').slice(0, -1).map((l) => l.split(' ')[2])).toEqual(['0', '7', '10', '999', '1795831200000', String(Number.MAX_SAFE_INTEGER)]);
  });

  it('hands over the body and starts again empty', () => {
    const sut = new LineBatch();
    sut.add(Buffer.from('reading,point=p'), 1, 'good', 5);
    sut.add(Buffer.from('reading,point=q'), 2, 'uncertain', 6);
    const { body, count } = sut.take();
    expect(count).toBe(2);
    expect(body.toString()).toBe('reading,point=p value=1 5\nreading,point=q value=2,quality="uncertain" 6\n');
    expect(sut.count).toBe(0);
    sut.add(Buffer.from('reading,point=r'), 3, 'good', 7);
    expect(sut.take().body.toString()).toBe('reading,point=r value=3 7\n');
    expect(body.toString()).toContain('point=p'); // the handed-over body is not reused
  });
});

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

  // docs/architecture.md §Stores: measurement `reading`; tags enterprise, gateway, point, type, region
  it('writes the measurement and the five tags sorted by key', () => {
    const sut = linePrefix({ point: 'p1', enterprise: 'e1', type: 'co', region: '320505', gateway: 'GW 1' });
    expect(sut).toBe('reading,enterprise=e1,gateway=GW\\ 1,point=p1,region=320505,type=co');
  });

  // docs/architecture.md §Stores: field `value` (float) and `quality` only when not good
  it('writes value as a float field and quality only when it is not good', () => {
    expect(readingLine('reading,point=p', 18.2, 'good', 1795831200000)).toBe('reading,point=p value=18.2 1795831200000');
    expect(readingLine('reading,point=p', 1, 'bad', 5)).toBe('reading,point=p value=1,quality="bad" 5');
    expect(readingLine('reading,point=p', -0.5, 'uncertain', 5)).toBe('reading,point=p value=-0.5,quality="uncertain" 5');
  });

  // docs/contracts.md §2: a failed register read is a bad reading; it has no value to store
  it('writes a bad reading without a value as its quality alone', () => {
    expect(readingLine('reading,point=p', Number.NaN, 'bad', 5)).toBe('reading,point=p quality="bad" 5');
  });

  // InfluxDB /write: one line a reading; the time in ms as an integer, whatever its size
  it('writes one line a reading and integer timestamps of any size', () => {
    const sut = new LineBatch();
    const prefix = Buffer.from('reading,point=p');
    for (const ts of [0, 7, 10, 999, 1795831200000, Number.MAX_SAFE_INTEGER]) sut.add(prefix, 1.5, 'good', ts);
    expect(sut.count).toBe(6);
    expect(sut.toString().split('\n').slice(0, -1).map((l) => l.split(' ')[2])).toEqual(['0', '7', '10', '999', '1795831200000', String(Number.MAX_SAFE_INTEGER)]);
  });

  // InfluxDB reads each value back as the same float64 the gateway sent
  it('writes every value as String() does', () => {
    const values = [0, -0, 1, -1, 18.2, 20.123, -0.5, 0.05, 0.000001, 1e-7, 0.1 + 0.2, 123456789.123456, 999999999.5, 1e9, 1e21, -1e300, 5e-324, Number.MAX_VALUE];
    for (let i = 0; i < 2000; i++) values.push(Math.round(Math.random() * 1e7) / 10 ** (i % 8), (Math.random() - 0.5) * 10 ** (i % 12));
    const sut = new LineBatch();
    for (const v of values) sut.add(Buffer.from('r'), v, 'good', 1);
    expect(sut.toString().split('\n').slice(0, -1).map((l) => l.slice('r value='.length, -' 1'.length))).toEqual(values.map((v) => String(v)));
  });

  it('hands over the body and starts again empty', () => {
    const sut = new LineBatch();
    sut.add(Buffer.from('reading,point=p'), 1, 'good', 5);
    sut.add(Buffer.from('reading,point=q'), 2, 'uncertain', 6);
    const { body, bytes, count } = sut.take();
    const text = 'reading,point=p value=1 5\nreading,point=q value=2,quality="uncertain" 6\n';
    expect({ count, bytes, body: Buffer.concat(body).toString() }).toEqual({ count: 2, bytes: text.length, body: text });
    expect(sut.count).toBe(0);
    sut.add(Buffer.from('reading,point=r'), 3, 'good', 7);
    expect(Buffer.concat(sut.take().body).toString()).toBe('reading,point=r value=3 7\n');
    expect(Buffer.concat(body).toString()).toBe(text); // the handed-over body is not written over
  });

  it('spreads a large batch over chunks without losing or splitting a line', () => {
    const sut = new LineBatch();
    const prefix = Buffer.from(`reading,point=${'p'.repeat(150)}`);
    for (let i = 0; i < 5000; i++) sut.add(prefix, i, 'good', 1_795_831_200_000 + i);
    const { body, bytes, count } = sut.take();
    expect(body.length).toBeGreaterThan(1);
    expect(body.reduce((n, c) => n + c.length, 0)).toBe(bytes);
    for (const chunk of body) expect(chunk[chunk.length - 1]).toBe(0x0a);
    const lines = Buffer.concat(body).toString().split('\n').slice(0, -1);
    expect(count).toBe(5000);
    expect(lines.map((l) => Number(l.split(' ')[1]?.slice('value='.length)))).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});

import { AUDIT_LIMITS, boundedDetail, truncateText } from './audit-detail';

describe(boundedDetail.name, () => {
  // non-negotiable 5: secrets are never stored, not even in the audit log
  it('drops secret-looking fields at every depth and keeps the rest', () => {
    const sut = boundedDetail({
      username: 'zhang',
      password: 'x',
      contacts: [{ role: 'safety_officer', phone: '+8613800000000', wecomRobotToken: 'k' }],
      nested: { secret: 's', note: 'n', when: new Date('2026-01-01T00:00:00Z') },
    });
    expect(sut).toEqual({ username: 'zhang', contacts: [{ role: 'safety_officer', phone: '+8613800000000' }], nested: { note: 'n', when: '2026-01-01T00:00:00.000Z' } });
  });

  // issue 18 item 4: the old recursive redact() overflowed the stack (500) on deep JSON
  it('survives 100,000 levels of nesting: cut at maxDepth, no recursion', () => {
    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 100_000; i++) deep = { a: [deep] };
    const sut = boundedDetail(deep);
    let depth = 0;
    for (let v: unknown = sut; typeof v === 'object' && v !== null; v = Array.isArray(v) ? v[0] : (v as { a: unknown }).a) depth++;
    expect(depth).toBe(AUDIT_LIMITS.maxDepth);
    expect(JSON.stringify(sut)).toContain('"…"');
  });

  it('cuts strings, arrays and objects, and keeps the whole detail within maxBytes', () => {
    const sut = boundedDetail({ request: 'POST /x', status: 400, note: 'é'.repeat(10_000), list: Array.from({ length: 1000 }, (_, i) => `item ${i} ${'x'.repeat(200)}`) });
    expect(Buffer.byteLength(JSON.stringify(sut))).toBeLessThanOrEqual(AUDIT_LIMITS.maxBytes);
    // the small fields survive; the largest is dropped and named
    expect(sut).toMatchObject({ request: 'POST /x', status: 400, omitted: ['list'] });
    expect((sut as { note: string }).note).toHaveLength(AUDIT_LIMITS.maxString);
    const wide = boundedDetail(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])));
    expect(Object.keys(wide as object)).toHaveLength(AUDIT_LIMITS.maxItems);
  });

  it('stores only JSON: no functions, no NaN, bigint as text', () => {
    expect(boundedDetail({ f: () => 1, n: Number.NaN, b: 10n, u: undefined, ok: true })).toEqual({ n: 'NaN', b: '10', ok: true });
  });
});

describe(truncateText.name, () => {
  it('keeps short text, cuts long text to the limit with an ellipsis, never splits a surrogate pair', () => {
    expect(truncateText('abc', 5)).toBe('abc');
    expect(truncateText('abcdefgh', 5)).toBe('abcd…');
    expect(truncateText('😀😀😀😀😀😀', 3)).toBe('😀😀…');
  });
});

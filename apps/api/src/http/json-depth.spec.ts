import { jsonDeeperThan } from './json-depth';

describe(jsonDeeperThan.name, () => {
  it('counts nesting of arrays and objects, not brackets inside strings', () => {
    expect(jsonDeeperThan(Buffer.from('{"a":[{"b":[1]}]}'), 4)).toBe(false);
    expect(jsonDeeperThan(Buffer.from('{"a":[{"b":[1]}]}'), 3)).toBe(true);
    expect(jsonDeeperThan(Buffer.from(JSON.stringify({ s: '[[[[[[{{{{{', t: 'a\\"[[[[[' })), 1)).toBe(false);
  });

  it('refuses 10,000 levels in one pass', () => {
    expect(jsonDeeperThan(Buffer.from(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), 32)).toBe(true);
  });
});

import { isValidRegionCode, normalizeRegionPrefix, regionInPrefix } from './region-code';

describe('isValidRegionCode', () => {
  it.each(['320505', '320500', '320000', '110101', '820000'])('accepts %s', (code) => {
    // docs/domain.md §Codes: six digits, province/city/county (2/2/2)
    expect(isValidRegionCode(code)).toBe(true);
  });

  it.each(['32050', '3205051', '32050a', ' 320505', '３２０５０５', '000000', '003205', '320005', ''])('rejects %p', (code) => {
    // docs/domain.md §Codes: six digits; GB/T 2260 has no province 00 and no county under a 00 city
    expect(isValidRegionCode(code)).toBe(false);
  });
});

describe('normalizeRegionPrefix', () => {
  it.each([
    ['320500', '3205'],
    ['320000', '32'],
    ['320505', '320505'],
    ['3205', '3205'],
    ['3200', '32'],
    ['32', '32'],
    ['110100', '1101'],
  ])('normalizes %s to %s', (code, prefix) => {
    // docs/contracts.md §4: a prefix of 2, 4 or 6 digits; trailing 00 pairs are dropped, so 320500 = 3205
    expect(normalizeRegionPrefix(code)).toBe(prefix);
  });

  it.each(['', '3', '320', '32050', '3205051', '00', '0000', '000000', '320005', '32ab', 'abcdef'])('rejects %p', (code) => {
    // docs/contracts.md §4: only 2, 4 or 6 digits make a region prefix
    expect(normalizeRegionPrefix(code)).toBeNull();
  });
});

describe('regionInPrefix', () => {
  it('matches codes under the prefix in any of its forms', () => {
    // docs/contracts.md §4: a regulator sees its region, the prefix e.g. 32, 3205, 320505
    for (const prefix of ['32', '320000', '3205', '320500', '320505']) expect(regionInPrefix('320505', prefix)).toBe(true);
  });

  it('does not match codes outside the prefix', () => {
    // docs/contracts.md §4: out-of-scope data is invisible
    expect(regionInPrefix('320506', '320505')).toBe(false);
    expect(regionInPrefix('320605', '3205')).toBe(false);
    expect(regionInPrefix('330505', '32')).toBe(false);
  });

  it('matches nothing for an invalid region code or prefix', () => {
    // docs/domain.md §Codes: six-digit codes only; an invalid prefix scopes nothing
    expect(regionInPrefix('3205', '32')).toBe(false);
    expect(regionInPrefix('320505', '')).toBe(false);
    expect(regionInPrefix('320505', '3')).toBe(false);
  });
});

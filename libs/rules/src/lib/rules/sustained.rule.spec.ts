import { validateSustained } from './sustained.rule';

describe('validateSustained', () => {
  const sut = validateSustained;

  it('accepts the catalog lift', () => {
    // docs/domain.md: CO orange held 15 min → red
    expect(sut([{ fromTier: 'orange', toTier: 'red', forS: 900 }])).toEqual([]);
    expect(sut(undefined)).toEqual([]);
  });

  it('wants a lift to go up, after a positive time', () => {
    // brief: a tier held for a duration lifts to another tier
    expect(sut([{ fromTier: 'red', toTier: 'orange', forS: 0 }])).toEqual([
      'sustained[0].forS must be a finite number above 0 at most 604800',
      'sustained[0].toTier must be above fromTier',
    ]);
    expect(sut([{ fromTier: 'pink', toTier: 'red', forS: 1, x: 1 }])).toEqual([
      'sustained[0].x is not a known field',
      'sustained[0].fromTier must be one of red, orange, yellow, blue',
    ]);
    expect(sut({})).toEqual(['sustained must be an array of at most 4 lifts']);
    expect(sut([3])).toEqual(['sustained[0] must be an object {fromTier, toTier, forS}']);
  });
});

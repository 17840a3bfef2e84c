import { DomainError } from '@sw/errors';
import type { Principal } from './user.types';
import { regionAsked, requireRegion, scopeReaches, visibleTo } from './scope-check';

const principal = (p: Partial<Principal>): Principal => ({ id: 'u', username: 'u', role: 'regulator', regionCode: '3205', enterpriseId: null, ...p }) as Principal;
const regulator = principal({ role: 'regulator', regionCode: '320500' });
const entUser = principal({ role: 'enterprise', regionCode: null, enterpriseId: 'e1' });
const admin = principal({ role: 'admin', regionCode: null });
const ent = { id: 'e1', region_code: '320505' };
const ownerOf = (e: typeof ent) => ({ enterpriseId: e.id, regionCode: e.region_code });

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
  }
  throw new Error('expected a DomainError');
}

describe(visibleTo.name, () => {
  it('answers the record when the scope reaches it', () => {
    expect(visibleTo(regulator, ent, ownerOf, 'enterprise e1')).toBe(ent);
    expect(visibleTo(entUser, ent, ownerOf, 'enterprise e1')).toBe(ent);
    expect(visibleTo(admin, { regionCode: '110101' }, (d) => ({ region: d.regionCode }), 'draw d')).toEqual({ regionCode: '110101' });
  });

  // docs/contracts.md §4 "Scope": an id outside your scope answers 404, as if it did not exist
  it('missing and out of scope are the same not_found error, without a code', () => {
    const missing = thrown(() => visibleTo(regulator, null, ownerOf, 'enterprise e9'));
    const foreign = thrown(() => visibleTo(principal({ regionCode: '3206' }), ent, ownerOf, 'enterprise e9'));
    for (const e of [missing, foreign]) expect(e).toMatchObject({ kind: 'not_found', code: undefined, message: 'enterprise e9 not found' });
    expect(thrown(() => visibleTo(principal({ role: 'enterprise', enterpriseId: 'e2' }), ent, ownerOf, 'x')).kind).toBe('not_found');
    expect(thrown(() => visibleTo(regulator, { regionCode: '3206' }, (d) => ({ region: d.regionCode }), 'draw d')).message).toBe('draw d not found');
    expect(thrown(() => visibleTo(regulator, null, ownerOf, 'alarm a', 'alarm_not_found'))).toMatchObject({ kind: 'not_found', code: 'alarm_not_found' });
  });
});

describe(requireRegion.name, () => {
  it('passes a region inside the scope (a prefix normalised: 320500 = 3205)', () => {
    expect(() => requireRegion(regulator, '320505')).not.toThrow();
    expect(() => requireRegion(regulator, '3205')).not.toThrow();
    expect(() => requireRegion(admin, '11')).not.toThrow();
  });

  it('refuses a region outside the scope, or any region to an enterprise user, with one forbidden error', () => {
    for (const [who, region] of [[regulator, '32'], [regulator, '320605'], [entUser, '320505']] as const) {
      expect(thrown(() => requireRegion(who, region))).toMatchObject({ kind: 'forbidden', code: undefined, message: `region ${region} is outside your region` });
    }
  });
});

describe(regionAsked.name, () => {
  it('the region asked when in scope, else the regulator’s own, else null', () => {
    expect(regionAsked(regulator, '320505')).toBe('320505');
    expect(regionAsked(regulator, undefined)).toBe('3205');
    expect(regionAsked(admin, undefined)).toBeNull();
    expect(regionAsked(entUser, null)).toBeNull();
    expect(thrown(() => regionAsked(regulator, '3206')).kind).toBe('forbidden');
  });
});

describe(scopeReaches.name, () => {
  it('an enterprise owner by scopeAllows, a region owner by coverage', () => {
    expect(scopeReaches({ kind: 'region', prefix: '3205' }, { enterpriseId: 'x', regionCode: '320505' })).toBe(true);
    expect(scopeReaches({ kind: 'region', prefix: '3205' }, { region: '32' })).toBe(false);
    expect(scopeReaches({ kind: 'enterprise', enterpriseId: 'x' }, { region: '320505' })).toBe(false);
  });
});

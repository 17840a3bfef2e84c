import type { Principal } from './user.types';
import { eventScopeOf, ruleScopeWhere, scopeAllows, scopeCoversRegion, scopeOf, scopeWhere } from './record-scope';

const principal = (over: Partial<Principal>): Principal => ({ id: 'u1', username: 'u', role: 'admin', regionCode: null, enterpriseId: null, ...over });
const target = (regionCode: string, enterpriseId = 'e1') => ({ enterpriseId, regionCode });

describe('record scope', () => {
  it('docs/contracts.md §4: an admin sees everything', () => {
    const sut = scopeOf(principal({ role: 'admin' }));
    expect(sut).toEqual({ kind: 'all' });
    expect(scopeAllows(sut, target('650102'))).toBe(true);
    expect(scopeCoversRegion(sut, '32')).toBe(true);
    expect(scopeWhere(sut, { enterpriseId: 'e.id', regionCode: 'e.region_code' })).toEqual({ sql: 'TRUE', params: {} });
    expect(eventScopeOf(sut)).toBeNull();
  });

  it('a regulator sees the enterprises whose region code starts with its prefix (320500 = 3205)', () => {
    const sut = scopeOf(principal({ role: 'regulator', regionCode: '320500' }));
    expect(sut).toEqual({ kind: 'region', prefix: '3205' });
    expect(scopeAllows(sut, target('320505'))).toBe(true);
    expect(scopeAllows(sut, target('320612'))).toBe(false);
    expect(scopeWhere(sut, { enterpriseId: 'a.enterprise_id', regionCode: 'a.region_code' })).toEqual({
      sql: 'a.region_code LIKE :scopeRegion',
      params: { scopeRegion: '3205%' },
    });
    expect(eventScopeOf(sut)).toEqual({ regionPrefix: '3205' });
  });

  it('a district regulator (320505) does not see the neighbouring district (320506) nor cover its city', () => {
    const sut = scopeOf(principal({ role: 'regulator', regionCode: '320505' }));
    expect(scopeAllows(sut, target('320505'))).toBe(true);
    expect(scopeAllows(sut, target('320506'))).toBe(false);
    expect(scopeCoversRegion(sut, '320505')).toBe(true);
    expect(scopeCoversRegion(sut, '3205')).toBe(false);
    expect(scopeCoversRegion(sut, '320506')).toBe(false);
  });

  it('a regulator with a malformed prefix sees nothing rather than everything', () => {
    const sut = scopeOf(principal({ role: 'regulator', regionCode: '00' }));
    expect(scopeAllows(sut, target('320505'))).toBe(false);
    expect(scopeCoversRegion(sut, '32')).toBe(false);
    expect(scopeOf(principal({ role: 'regulator', regionCode: null }))).toEqual({ kind: 'region', prefix: '~' });
  });

  it('an enterprise user sees its own enterprise only, and no region', () => {
    const sut = scopeOf(principal({ role: 'enterprise', enterpriseId: 'e1' }));
    expect(sut).toEqual({ kind: 'enterprise', enterpriseId: 'e1' });
    expect(scopeAllows(sut, target('320505', 'e1'))).toBe(true);
    expect(scopeAllows(sut, target('320505', 'e2'))).toBe(false);
    expect(scopeCoversRegion(sut, '320505')).toBe(false);
    expect(scopeWhere(sut, { enterpriseId: 'e.id', regionCode: 'e.region_code' })).toEqual({ sql: 'e.id = :scopeEnterprise', params: { scopeEnterprise: 'e1' } });
    expect(eventScopeOf(sut)).toEqual({ enterpriseId: 'e1' });
  });

  it('rules: a regulator reads region rules that cover it or lie inside it', () => {
    const sut = ruleScopeWhere({ kind: 'region', prefix: '3205' }, 'r', 'e');
    expect(sut.sql).toContain("r.scope_type = 'region'");
    expect(sut.params).toEqual({ scopeRegion: '3205%', scopePrefix: '3205' });
    expect(ruleScopeWhere({ kind: 'all' }, 'r', 'e').sql).toBe('TRUE');
  });
});

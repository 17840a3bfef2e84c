import { forbidden, notFound } from '@sw/errors';
import { type RecordScope, scopeAllows, scopeCoversRegion, scopeOf, type ScopedTarget } from './record-scope';
import type { Principal } from './user.types';

/** Who owns a record: an enterprise (with its region), or a whole region (draws, inspectors, ledger snapshots). */
export type ScopeOwner = ScopedTarget | { region: string };

const scopeFor = (who: Principal | RecordScope): RecordScope => ('role' in who ? scopeOf(who) : who);

/** Whether the scope reaches the owner. */
export function scopeReaches(scope: RecordScope, owner: ScopeOwner): boolean {
  return 'region' in owner ? scopeCoversRegion(scope, owner.region) : scopeAllows(scope, owner);
}

/**
 * The record when the caller may see it. A missing record and one outside the caller's scope are the
 * same `not_found` error, `<what> not found` (docs/contracts.md §4 "Scope": as if it did not exist),
 * with the domain's code for a missing record where it has one (`alarm_not_found`).
 */
export function visibleTo<T>(who: Principal | RecordScope, found: T | null | undefined, ownerOf: (found: T) => ScopeOwner, what: string, code?: string): T {
  if (found === null || found === undefined || !scopeReaches(scopeFor(who), ownerOf(found))) throw notFound(`${what} not found`, code);
  return found;
}

/** The region a call is about: the one asked (checked by `requireRegion`), else a regulator's own, else null (everywhere the scope reaches). */
export function regionAsked(who: Principal | RecordScope, asked: string | null | undefined): string | null {
  const scope = scopeFor(who);
  const region = asked ?? (scope.kind === 'region' ? scope.prefix : null);
  if (region !== null) requireRegion(scope, region);
  return region;
}

/**
 * A region the caller names (a query filter, a body's `regionCode`) must lie inside its scope; else the
 * one `forbidden` error, `region <code> is outside your region` (docs/contracts.md §4 "Scope").
 */
export function requireRegion(who: Principal | RecordScope, region: string): void {
  if (!scopeCoversRegion(scopeFor(who), region)) throw forbidden(`region ${region} is outside your region`);
}

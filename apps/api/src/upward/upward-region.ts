import { invalid } from '@sw/errors';
import { type Principal, regionAsked, visibleTo } from '@sw/persistence';

/**
 * The region an upward action is for: the one asked (a normalised prefix) or a regulator's own.
 * An admin must name one (400); a region outside the caller's answers 403 (docs/contracts.md §4).
 */
export function upwardRegion(p: Principal, regionCode: string | undefined): string {
  const region = regionAsked(p, regionCode);
  if (!region) throw invalid('regionCode is required');
  return region;
}

/** A stored row's region checked against the caller's scope: outside it answers 404, as if it did not exist. */
export function ensureVisible<T extends { regionCode: string }>(p: Principal, row: T | null, what: string): T {
  return visibleTo(p, row, (r) => ({ region: r.regionCode }), what);
}

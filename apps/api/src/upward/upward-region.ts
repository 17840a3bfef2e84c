import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { type Principal, scopeCoversRegion, scopeOf } from '@sw/persistence';

/**
 * The region an upward action is for: the one asked (a normalised prefix) or a regulator's own.
 * An admin must name one (400); a region outside the caller's answers 403 (docs/contracts.md §4).
 */
export function upwardRegion(p: Principal, regionCode: string | undefined): string {
  const scope = scopeOf(p);
  const region = regionCode ?? (scope.kind === 'region' ? scope.prefix : undefined);
  if (!region) throw new BadRequestException('regionCode is required');
  if (!scopeCoversRegion(scope, region)) throw new ForbiddenException(`region ${region} is outside your region`);
  return region;
}

/** A stored row's region checked against the caller's scope: outside it answers 404, as if it did not exist. */
export function ensureVisible<T extends { regionCode: string }>(p: Principal, row: T | null, what: string): T {
  if (!row || !scopeCoversRegion(scopeOf(p), row.regionCode)) throw new NotFoundException(`${what} not found`);
  return row;
}

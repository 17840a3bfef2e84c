import { normalizeRegionPrefix } from '@sw/sensors';
import type { Principal } from './user.types';

/**
 * What a principal may see (docs/contracts.md §4): everything (admin), the enterprises under a region
 * prefix (regulator), or one enterprise (enterprise user). Every scoped query and check in the
 * platform goes through the functions below, so scoping lives in one place.
 */
export type RecordScope = { kind: 'all' } | { kind: 'region'; prefix: string } | { kind: 'enterprise'; enterpriseId: string };

/** What a scoped record belongs to. */
export interface ScopedTarget {
  enterpriseId: string;
  /** The enterprise's six-digit region code. */
  regionCode: string;
}

/** A SQL condition with TypeORM named parameters, for `QueryBuilder.andWhere(sql, params)`. */
export interface ScopeSql {
  sql: string;
  params: Record<string, unknown>;
}

/** The scope of a principal; a regulator or enterprise user without its anchor sees nothing. */
export function scopeOf(principal: Principal): RecordScope {
  switch (principal.role) {
    case 'admin':
      return { kind: 'all' };
    case 'regulator': {
      const prefix = principal.regionCode ? normalizeRegionPrefix(principal.regionCode) : null;
      // a malformed prefix must never widen the scope: `~` matches no region code
      return { kind: 'region', prefix: prefix ?? '~' };
    }
    case 'enterprise':
      return { kind: 'enterprise', enterpriseId: principal.enterpriseId ?? '00000000-0000-0000-0000-000000000000' };
  }
}

export function scopeAllows(scope: RecordScope, target: ScopedTarget): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'region':
      return target.regionCode.startsWith(scope.prefix);
    case 'enterprise':
      return target.enterpriseId === scope.enterpriseId;
  }
}

/**
 * Whether the scope covers a whole region prefix (a regulator of `3205` covers `320505` and `3205`,
 * not `32`); an enterprise user covers no region.
 */
export function scopeCoversRegion(scope: RecordScope, regionPrefix: string): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'region':
      return regionPrefix.startsWith(scope.prefix);
    case 'enterprise':
      return false;
  }
}

/** The condition that keeps rows in scope; `cols` name the enterprise id and region code columns. */
export function scopeWhere(scope: RecordScope, cols: { enterpriseId: string; regionCode: string }): ScopeSql {
  switch (scope.kind) {
    case 'all':
      return { sql: 'TRUE', params: {} };
    case 'region':
      return { sql: `${cols.regionCode} LIKE :scopeRegion`, params: { scopeRegion: `${scope.prefix}%` } };
    case 'enterprise':
      return { sql: `${cols.enterpriseId} = :scopeEnterprise`, params: { scopeEnterprise: scope.enterpriseId } };
  }
}

/**
 * Rules a scope may read: rules on its points and enterprises, plus region rules that reach into
 * it (a regulator of `3205` sees rules for `32`, `3205` and `320505`; an enterprise user sees the
 * region rules covering its region). `rule` is the rules alias, `ent` the joined enterprise alias
 * (null for region rules).
 */
export function ruleScopeWhere(scope: RecordScope, rule: string, ent: string): ScopeSql {
  switch (scope.kind) {
    case 'all':
      return { sql: 'TRUE', params: {} };
    case 'region':
      return {
        sql: `(${ent}.region_code LIKE :scopeRegion OR (${rule}.scope_type = 'region' AND (${rule}.region_code LIKE :scopeRegion OR :scopePrefix LIKE ${rule}.region_code || '%')))`,
        params: { scopeRegion: `${scope.prefix}%`, scopePrefix: scope.prefix },
      };
    case 'enterprise':
      return {
        sql: `(${ent}.id = :scopeEnterprise OR (${rule}.scope_type = 'region' AND (SELECT se.region_code FROM enterprises se WHERE se.id = :scopeEnterprise) LIKE ${rule}.region_code || '%'))`,
        params: { scopeEnterprise: scope.enterpriseId },
      };
  }
}

/** The scope in the form `AlarmStore.eventsBetween` takes (null = everything). */
export function eventScopeOf(scope: RecordScope): { regionPrefix?: string; enterpriseId?: string } | null {
  switch (scope.kind) {
    case 'all':
      return null;
    case 'region':
      return { regionPrefix: scope.prefix };
    case 'enterprise':
      return { enterpriseId: scope.enterpriseId };
  }
}

// The hazard list's filters as the URL holds them (back button, shareable links) and as
// GET /hazards and GET /hazards/export take them.
import type { Query } from '../api/http.client';

export const HAZARD_PAGE_SIZE = 20;

export interface HazardFilter {
  status: string;
  source: string;
  category: string;
  /** 条 number as text, '' for any */
  article: string;
  /** region prefix (2, 4 or 6 digits), '' for the whole scope */
  regionCode: string;
  overdue: '' | 'true' | 'false';
  enterpriseId: string;
  page: number;
}

export const EMPTY_FILTER: HazardFilter = { status: '', source: '', category: '', article: '', regionCode: '', overdue: '', enterpriseId: '', page: 1 };

const KEYS = ['status', 'source', 'category', 'article', 'regionCode', 'overdue', 'enterpriseId'] as const;

/** The filter of a location's query string; unknown or malformed values are dropped. */
export function filterFromSearch(search: string): HazardFilter {
  const q = new URLSearchParams(search);
  const f: HazardFilter = { ...EMPTY_FILTER };
  for (const k of KEYS) {
    const v = q.get(k)?.trim() ?? '';
    if (k === 'overdue') f.overdue = v === 'true' || v === 'false' ? v : '';
    else if (k === 'article') f.article = /^\d{1,2}$/.test(v) ? v : '';
    else if (k === 'regionCode') f.regionCode = /^\d{2}(\d{2}){0,2}$/.test(v) ? v : '';
    else f[k] = v;
  }
  const page = Number(q.get('page'));
  f.page = Number.isInteger(page) && page > 0 ? page : 1;
  return f;
}

/** The query string of a filter ('' when nothing is set), page 1 left out. */
export function filterToSearch(f: HazardFilter): string {
  const q = new URLSearchParams();
  for (const k of KEYS) if (f[k]) q.set(k, f[k]);
  if (f.page > 1) q.set('page', String(f.page));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** GET /hazards: the filters that are set, with paging. */
export function filterToQuery(f: HazardFilter, pageSize = HAZARD_PAGE_SIZE): Query {
  return { ...exportQuery(f), page: f.page, pageSize };
}

/** GET /hazards/export: the same filters, no paging (the whole filtered list). */
export function exportQuery(f: HazardFilter): Query {
  const q: Query = {};
  for (const k of KEYS) if (f[k]) q[k] = f[k];
  return q;
}

/** A change of one filter goes back to page 1. */
export function withFilter(f: HazardFilter, key: Exclude<keyof HazardFilter, 'page'>, value: string): HazardFilter {
  return { ...f, [key]: value, page: 1 } as HazardFilter;
}

export function pageCount(total: number, pageSize = HAZARD_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

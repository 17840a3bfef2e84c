/** docs/contracts.md §4: `page` from 1, `pageSize` at most 500. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

/** docs/contracts.md §4 list answer. */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function offsetOf(p: PageRequest): number {
  return (p.page - 1) * p.pageSize;
}

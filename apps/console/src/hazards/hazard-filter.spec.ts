import { EMPTY_FILTER, exportQuery, filterFromSearch, filterToQuery, filterToSearch, pageCount, withFilter } from './hazard-filter';

describe('hazard list filters', () => {
  it('answers only the filters that are set, with paging, as GET /hazards takes them', () => {
    const f = { ...EMPTY_FILTER, status: 'rectifying', source: 'alarm', article: '11', overdue: 'true' as const, page: 3 };
    expect(filterToQuery(f)).toEqual({ status: 'rectifying', source: 'alarm', article: '11', overdue: 'true', page: 3, pageSize: 20 });
    expect(filterToQuery(EMPTY_FILTER)).toEqual({ page: 1, pageSize: 20 });
  });

  it('exports the same filters without paging', () => {
    const f = { ...EMPTY_FILTER, category: 'steel', regionCode: '320505', page: 4 };
    expect(exportQuery(f)).toEqual({ category: 'steel', regionCode: '320505' });
  });

  it('round-trips through the URL and leaves page 1 out', () => {
    const f = { ...EMPTY_FILTER, status: 'submitted', overdue: 'false' as const, enterpriseId: 'e1', page: 2 };
    expect(filterToSearch(f)).toBe('?status=submitted&overdue=false&enterpriseId=e1&page=2');
    expect(filterFromSearch(filterToSearch(f))).toEqual(f);
    expect(filterToSearch(EMPTY_FILTER)).toBe('');
  });

  it('drops malformed values from a hand-edited URL', () => {
    expect(filterFromSearch('?article=eleven&regionCode=32050&overdue=yes&page=-2')).toEqual(EMPTY_FILTER);
    expect(filterFromSearch('?regionCode=3205&article=4').regionCode).toBe('3205');
  });

  it('goes back to page 1 when a filter changes', () => {
    expect(withFilter({ ...EMPTY_FILTER, page: 5 }, 'status', 'reported')).toEqual({ ...EMPTY_FILTER, status: 'reported', page: 1 });
  });

  it('counts pages, at least one', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(20)).toBe(1);
    expect(pageCount(21)).toBe(2);
  });
});

// 隐患 list (issue 12): the register in the user's scope with filters (status, source, category,
// article, region, overdue), paging and the CSV/XLSX export; filters live in the URL.
import { CATALOGUE_ARTICLES } from '@sw/hazards';
import { useEffect, useState } from 'preact/hooks';
import type { Hazard, Page } from '../api/api.types';
import { formatDateTime, shanghaiToday } from '../shared/format';
import { CATEGORIES, CATEGORY_LABEL, districtText, HAZARD_SOURCE_LABEL, HAZARD_SOURCES, HAZARD_STATUS_LABEL, HAZARD_STATUSES } from '../shared/labels';
import { useObservable } from '../shared/observable';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { navigate } from '../shell/router';
import { Select } from '../shared/filter-select';
import { StatusPill, saveDownload } from './hazard-bits';
import { exportQuery, filterFromSearch, filterToQuery, filterToSearch, type HazardFilter, pageCount, withFilter } from './hazard-filter';
import { refusalText } from './hazard-refusal';

const articles = CATALOGUE_ARTICLES.map((a) => ({ value: String(a.article), text: `${a.label} ${a.scope}` }));

export function HazardsPage() {
  const { http, session, directory } = useConsole();
  const enterprises = useObservable(directory);
  const [filter, setFilter] = useState<HazardFilter>(() => filterFromSearch(location.search));
  const [page, setPage] = useState<Page<Hazard> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const oneEnterprise = session.role === 'enterprise';

  useEffect(() => {
    let gone = false;
    navigate(`/hazards${filterToSearch(filter)}`, true);
    http.get<Page<Hazard>>('/hazards', filterToQuery(filter)).then(
      (p) => {
        if (gone) return;
        setPage(p);
        setError(null);
      },
      (err: unknown) => !gone && setError(refusalText(err)),
    );
    return () => {
      gone = true;
    };
  }, [http, filter]);

  const set = (key: Exclude<keyof HazardFilter, 'page'>) => (value: string) => setFilter(withFilter(filter, key, value));
  const districts = [...new Set([...enterprises.values()].map((e) => e.regionCode))].sort();
  const download = (format: 'csv' | 'xlsx') =>
    saveDownload(http, '/hazards/export', { ...exportQuery(filter), format }, `重大事故隐患-${shanghaiToday()}.${format}`).catch((err: unknown) => setError(refusalText(err)));
  const pages = page ? pageCount(page.total, page.pageSize) : 1;

  return (
    <section class="hazards">
      <h2>
        重大事故隐患{' '}
        <Link href="/hazards/new" class="button primary">
          {oneEnterprise ? '自查上报隐患' : '登记隐患'}
        </Link>{' '}
        {!oneEnterprise && <Link href="/hazards/analysis" class="button">统计分析</Link>}{' '}
        <button type="button" data-export="xlsx" onClick={() => void download('xlsx')}>导出 Excel</button> <button type="button" data-export="csv" onClick={() => void download('csv')}>导出 CSV</button>
      </h2>
      <div class="filters">
        <Select label="状态" name="status" all="全部状态" value={filter.status} options={HAZARD_STATUSES.map((s) => ({ value: s, text: HAZARD_STATUS_LABEL[s] }))} onChange={set('status')} />
        <Select label="来源" name="source" all="全部来源" value={filter.source} options={HAZARD_SOURCES.map((s) => ({ value: s, text: HAZARD_SOURCE_LABEL[s] }))} onChange={set('source')} />
        {!oneEnterprise && <Select label="行业" name="category" all="全部行业" value={filter.category} options={CATEGORIES.map((c) => ({ value: c, text: CATEGORY_LABEL[c] }))} onChange={set('category')} />}
        <Select label="判定依据" name="article" all="全部条款" value={filter.article} options={articles} onChange={set('article')} />
        {!oneEnterprise && <Select label="区县" name="regionCode" all="全部区县" value={filter.regionCode} options={districts.map((d) => ({ value: d, text: districtText(d) }))} onChange={set('regionCode')} />}
        <Select label="逾期" name="overdue" all="不限" value={filter.overdue} options={[{ value: 'true', text: '已逾期' }, { value: 'false', text: '未逾期' }]} onChange={set('overdue')} />
        {filter.enterpriseId && (
          <span class="pill">
            {enterprises.get(filter.enterpriseId)?.name ?? '指定企业'}{' '}
            <button type="button" class="ghost small" onClick={() => set('enterpriseId')('')}>×</button>
          </span>
        )}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!page && !error && <p class="muted">加载中…</p>}
      {page && (
        <>
          <p class="totals muted" data-total={page.total}>共 {page.total} 条</p>
          <div class="table-scroll">
            <table class="list hazard-table">
              <thead>
                <tr><th>登记时间</th><th>企业</th><th>判定依据</th><th>隐患描述</th><th>来源</th><th>状态</th><th>整改期限</th></tr>
              </thead>
              <tbody>
                {page.items.map((h) => (
                  <tr key={h.id} class="hazard-row" data-hazard-id={h.id} data-status={h.status} onClick={() => navigate(`/hazards/${h.id}`)}>
                    <td class="c-time">{formatDateTime(h.reportedAt)}</td>
                    <td>{enterprises.get(h.enterpriseId)?.name ?? '—'}</td>
                    <td title={h.basis?.title}>{h.basis?.label ?? `第${h.article}条`}</td>
                    <td class="c-message"><Link href={`/hazards/${h.id}`}>{h.description}</Link></td>
                    <td>{HAZARD_SOURCE_LABEL[h.source]}</td>
                    <td><StatusPill hazard={h} /></td>
                    <td class="c-time">{formatDateTime(h.deadline)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.items.length === 0 && <p class="empty">没有符合条件的隐患</p>}
          {pages > 1 && (
            <p class="pager">
              <button type="button" disabled={filter.page <= 1} onClick={() => setFilter({ ...filter, page: filter.page - 1 })}>上一页</button>
              <span>第 {filter.page} / {pages} 页</span>
              <button type="button" disabled={filter.page >= pages} onClick={() => setFilter({ ...filter, page: filter.page + 1 })}>下一页</button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

// The live alarm board (issue 7): newest first, coloured by tier, counts per tier, filters.
import { useMemo, useState } from 'preact/hooks';
import { useWatch } from '../shared/observable';
import { useConsole } from '../shell/console.service';
import { AlarmRow } from './alarm-row';
import { type BoardFilter, EMPTY_FILTER, matches, matchesScope, tierCounts } from './board-filter';
import { BoardFilters } from './board-filters';
import { MaintenancePanel } from './maintenance-panel';
import { TierCounts } from './tier-counts';

const MAX_ROWS = 300; // a duty screen shows far fewer; the rest are a filter away
const FILTER_KEY = 'sw.console.boardFilter';

export function BoardPage() {
  const { board, directory, session } = useConsole();
  const alarms = useWatch(board, () => board.list());
  const enterprises = useWatch(directory, () => directory.value);
  const [filter, setFilterState] = useState<BoardFilter>(() => ({ ...EMPTY_FILTER, ...(JSON.parse(sessionStorage.getItem(FILTER_KEY) ?? '{}') as Partial<BoardFilter>) }));
  const setFilter = (f: BoardFilter) => {
    sessionStorage.setItem(FILTER_KEY, JSON.stringify(f));
    setFilterState(f);
  };

  const lookup = (id: string) => enterprises.get(id);
  const inScope = useMemo(() => alarms.filter((a) => matchesScope(a, filter, lookup)), [alarms, enterprises, filter]);
  const shown = useMemo(() => inScope.filter((a) => matches(a, filter, lookup)), [inScope, filter]);
  const districts = useMemo(() => directory.districts(), [enterprises]);

  return (
    <section class="board">
      <div class="board-head">
        <TierCounts counts={tierCounts(inScope)} selected={filter.tier} onSelect={(tier) => setFilter({ ...filter, tier })} />
        <BoardFilters filter={filter} districts={districts} oneEnterprise={session.role === 'enterprise'} onChange={setFilter} />
      </div>
      <MaintenancePanel />
      <table class="alarm-table">
        <thead>
          <tr>
            <th>级别</th>
            <th>报警时间</th>
            <th>企业 / 区县</th>
            <th>监测点</th>
            <th>报警内容</th>
            <th>数值</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          {shown.slice(0, MAX_ROWS).map((a) => (
            <AlarmRow key={a.id} alarm={a} enterprise={enterprises.get(a.enterpriseId)} />
          ))}
        </tbody>
      </table>
      {shown.length === 0 && <p class="empty">当前筛选条件下没有报警</p>}
      {shown.length > MAX_ROWS && <p class="muted">仅显示最新 {MAX_ROWS} 条，共 {shown.length} 条</p>}
    </section>
  );
}

// 应检清单: enterprises whose risk-level-based inspection is due or overdue (红 monthly, 橙
// quarterly, 黄 half-yearly, 蓝 yearly; 未定级 counts as 黄).
import { useEffect, useState } from 'preact/hooks';
import { shanghaiToday } from '../shared/format';
import { districtText } from '../shared/labels';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { EnforcementNav } from './enforcement-nav';
import { DUE_LABEL, levelText } from './inspection-labels';
import type { DueItem } from './inspection.types';

export function DuePage() {
  const { http } = useConsole();
  const [asOf, setAsOf] = useState(shanghaiToday());
  const [items, setItems] = useState<DueItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    http.get<{ items: DueItem[] }>('/inspections/due', { asOf }).then((r) => setItems(r.items), (err: Error) => setError(err.message));
  }, [http, asOf]);
  return (
    <section class="enforcement">
      <EnforcementNav current="/inspections/due" />
      <h2>
        应检清单{' '}
        <label class="muted">
          截至 <input type="date" value={asOf} onInput={(e) => setAsOf(e.currentTarget.value || shanghaiToday())} />
        </label>
      </h2>
      <p class="muted">检查频次按企业风险等级：红色每月、橙色每季度、黄色每半年、蓝色每年；未定级按黄色。</p>
      {error && <p class="error" role="alert">{error}</p>}
      {!items && !error && <p class="muted">加载中…</p>}
      {items && (
        <table class="list compact due-list">
          <thead>
            <tr><th>企业</th><th>风险等级</th><th>上次检查</th><th>应检日期</th><th>状态</th></tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.enterpriseId} class={`due-${d.status}`}>
                <td><Link href={`/enterprises/${d.enterpriseId}`}>{d.name}</Link> <span class="muted">{districtText(d.regionCode)}</span></td>
                <td><span class={`level level-${d.level}`}>{levelText(d.level, d.graded)}</span></td>
                <td>{d.lastInspectedOn ?? '未检查过'}</td>
                <td>{d.nextDueOn}</td>
                <td>{DUE_LABEL[d.status]}{d.daysOverdue > 0 && `（${d.daysOverdue} 天）`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {items?.length === 0 && <p class="muted">没有到期的企业</p>}
    </section>
  );
}

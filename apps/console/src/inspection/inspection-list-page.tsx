// 检查任务: inspections in scope, newest visit first, filterable by status.
import { useEffect, useState } from 'preact/hooks';
import { districtText } from '../shared/labels';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { EnforcementNav } from './enforcement-nav';
import { MODE_LABEL, STATUS_LABEL } from './inspection-labels';
import type { InspectionStatus, InspectionSummary } from './inspection.types';

export function InspectionListPage() {
  const { http } = useConsole();
  const [status, setStatus] = useState<'' | InspectionStatus>('');
  const [items, setItems] = useState<InspectionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    http.get<{ items: InspectionSummary[] }>('/inspections', { status, pageSize: 200 }).then((r) => setItems(r.items), (err: Error) => setError(err.message));
  }, [http, status]);
  return (
    <section class="enforcement">
      <EnforcementNav current="/inspections" />
      <h2>
        检查任务{' '}
        <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as InspectionStatus | '')}>
          <option value="">全部状态</option>
          {Object.entries(STATUS_LABEL).map(([k, v]) => (
            <option key={k} value={k}>{v}</option>
          ))}
        </select>
      </h2>
      {error && <p class="error" role="alert">{error}</p>}
      <InspectionTable items={items} />
    </section>
  );
}

export function InspectionTable({ items }: { items: InspectionSummary[] | null }) {
  if (!items) return <p class="muted">加载中…</p>;
  if (items.length === 0) return <p class="muted">暂无检查记录</p>;
  return (
    <table class="list compact inspections">
      <thead>
        <tr><th>检查日期</th><th>企业</th><th>方式</th><th>状态</th></tr>
      </thead>
      <tbody>
        {items.map((i) => (
          <tr key={i.id}>
            <td><Link href={`/inspections/${i.id}`}>{i.visitDate}</Link></td>
            <td>{i.enterpriseName} <span class="muted">{districtText(i.regionCode)}</span></td>
            <td>{MODE_LABEL[i.mode]}</td>
            <td>{STATUS_LABEL[i.status]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

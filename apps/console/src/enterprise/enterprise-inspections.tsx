// The enterprise page's 执法检查 card: its inspections and orders; a regulator opens an online
// patrol (线上巡查) from here, which becomes an inspection task.
import { useEffect, useState } from 'preact/hooks';
import { InspectionTable } from '../inspection/inspection-list-page';
import type { Inspection, InspectionSummary } from '../inspection/inspection.types';
import { useConsole } from '../shell/console.service';
import { navigate } from '../shell/router';

export function EnterpriseInspections({ enterpriseId }: { enterpriseId: string }) {
  const { http, session } = useConsole();
  const [items, setItems] = useState<InspectionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    http.get<{ items: InspectionSummary[] }>('/inspections', { enterpriseId, pageSize: 50 }).then((r) => setItems(r.items), (err: Error) => setError(err.message));
  }, [http, enterpriseId]);
  const patrol = async () => {
    try {
      const created = await http.post<Inspection>('/inspections', { mode: 'online_patrol', enterpriseId });
      navigate(`/inspections/${created.id}`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section class="card enterprise-inspections">
      <h3>
        执法检查{' '}
        {session.role !== 'enterprise' && (
          <button type="button" class="ghost" onClick={() => void patrol()}>发起线上巡查</button>
        )}
      </h3>
      {error && <p class="error" role="alert">{error}</p>}
      <InspectionTable items={items} />
    </section>
  );
}

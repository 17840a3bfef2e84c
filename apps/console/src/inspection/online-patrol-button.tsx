// 线上巡查 from an alarm: a regulator opens an online-patrol follow-up, which becomes an inspection
// task of the alarm's enterprise, and goes to it.
import { useState } from 'preact/hooks';
import { useConsole } from '../shell/console.service';
import { navigate } from '../shell/router';
import type { Inspection } from './inspection.types';

export function OnlinePatrolButton({ alarmId }: { alarmId: string }) {
  const { http, session } = useConsole();
  const [error, setError] = useState<string | null>(null);
  if (session.role === 'enterprise') return null;
  const open = async () => {
    try {
      const created = await http.post<Inspection>('/inspections', { mode: 'online_patrol', alarmId });
      navigate(`/inspections/${created.id}`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <span class="online-patrol">
      <button type="button" class="ghost" onClick={() => void open()}>发起线上巡查</button>
      {error && <span class="error" role="alert">{error}</span>}
    </span>
  );
}

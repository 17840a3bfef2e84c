// The due-day banner (docs/domain.md "The closed loop", Upward): in the 10 days before 4 June and
// 4 December, until the ledger is submitted and the work summary finalized, every regulator page
// says what is still to do and links to 上报.
import { useEffect, useState } from 'preact/hooks';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import type { ReminderStatus } from './upward.types';

export function ReminderBanner() {
  const { http, session } = useConsole();
  const [status, setStatus] = useState<ReminderStatus | null>(null);
  useEffect(() => {
    if (session.role !== 'regulator') return; // an admin names a region on the 上报 page itself
    let gone = false;
    http.get<ReminderStatus>('/upward/reminder').then(
      (s) => !gone && setStatus(s),
      () => undefined, // no banner is better than an error line on every page
    );
    return () => {
      gone = true;
    };
  }, [http, session.role]);
  if (!status?.show || !status.due) return null;
  const todo = [!status.ledgerSubmitted && '半年企业台账未报送', !status.summaryFinalized && '半年工作总结未定稿'].filter(Boolean).join('，');
  return (
    <div class="upward-banner" role="status" data-upward-banner>
      上报提醒：{status.due.dueDate} 前报送（还有 {status.due.daysLeft} 天）——{todo}。<Link href="/upward">去上报</Link>
    </div>
  );
}

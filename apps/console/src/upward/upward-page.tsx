// 上报 (regulators): the half-yearly ledger submission to the city bureau with its diff, the
// half-year work summary editor with its downloads, and — once the uplink provides it — the
// provincial uplink's status (docs/domain.md "The closed loop", Upward).
import { useState } from 'preact/hooks';
import { useConsole } from '../shell/console.service';
import { LedgerSnapshotsPanel } from './ledger-snapshots-panel';
import { ReminderBanner } from './reminder-banner';
import { SummaryEditor } from './summary-editor';
import { UplinkStatusCard } from './uplink-status';

export function UpwardPage() {
  const { session } = useConsole();
  const [region, setRegion] = useState(session.regionCode ?? '');
  const admin = session.role === 'admin';
  return (
    <section class="upward">
      <h2>
        上报{' '}
        {admin ? (
          <label class="muted">
            区域代码 <input value={region} size={8} placeholder="如 320505" onChange={(e) => setRegion(e.currentTarget.value.trim())} />
          </label>
        ) : (
          <span class="muted small">区域 {session.regionCode}</span>
        )}
      </h2>
      {!admin && <ReminderBanner />}
      {admin && !region ? (
        <p class="muted">请输入要上报的区域代码。</p>
      ) : (
        <>
          <LedgerSnapshotsPanel regionCode={admin ? region : ''} />
          <SummaryEditor regionCode={admin ? region : ''} />
        </>
      )}
      {/* the provincial uplink's status (lag, last success, backlog) */}
      <div class="uplink-slot" data-slot="uplink-status">
        <UplinkStatusCard />
      </div>
    </section>
  );
}

// The enterprise's 基础信息台账, grouped as the ledger is kept.
import type { EnterpriseDetail } from '../api/api.types';
import { shanghaiToday } from '../shared/format';
import { ledgerGroups } from './ledger-view';

export function LedgerCard({ enterprise }: { enterprise: EnterpriseDetail }) {
  const groups = ledgerGroups(enterprise, shanghaiToday());
  return (
    <div class="ledger">
      {groups.map((g) => (
        <section key={g.title} class="card ledger-group">
          <h3>{g.title}</h3>
          <dl>
            {g.rows.map(([label, text]) => (
              <div key={label} class="ledger-row">
                <dt>{label}</dt>
                <dd>{text}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}

// The enterprises in scope, for regulators: name, district, categories, status → enterprise page.
import { CATEGORY_LABEL } from '../shared/labels';
import { STATUS_LABEL } from '../shared/ledger-labels';
import { useWatch } from '../shared/observable';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { mandatoryText } from './enterprise-data';

export function EnterprisesPage() {
  const { board, directory } = useConsole();
  const enterprises = useWatch(directory, () => [...directory.value.values()].sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.name.localeCompare(b.name, 'zh')));
  const alarms = useWatch(board, () => board.list());
  const activeOf = (id: string) => alarms.filter((a) => a.enterpriseId === id && a.condition === 'active' && a.stage !== 'closed').length;
  return (
    <section>
      <h2>
        企业 <span class="muted">共 {enterprises.length} 家</span>
      </h2>
      <table class="list">
        <thead>
          <tr>
            <th>企业名称</th>
            <th>区县</th>
            <th>行业类别</th>
            <th>状态</th>
            <th>必选监测点</th>
            <th>报警中</th>
          </tr>
        </thead>
        <tbody>
          {enterprises.map((e) => (
            <tr key={e.id}>
              <td>
                <Link href={`/enterprises/${e.id}`}>{e.name}</Link>
              </td>
              <td>{e.regionCode}</td>
              <td>{e.riskCategories.map((c) => CATEGORY_LABEL[c]).join('、')}</td>
              <td>{STATUS_LABEL[e.status]}</td>
              <td>{mandatoryText(e.mandatoryConnected)}</td>
              <td>{activeOf(e.id) || ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

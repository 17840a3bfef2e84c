// 数据质量 (regulators): the ledger's problems as lists with counts — missing mandatory fields of
// in-scope enterprises, unknown dust workers, expired or revoked 标准化, deep-well casting equipment
// to verify, coordinates outside the district — exportable as Excel or CSV.
import { useEffect, useState } from 'preact/hooks';
import type { QualityList } from '../api/api.types';
import { shanghaiToday } from '../shared/format';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';

export function QualityPage() {
  const { http } = useConsole();
  const [asOf, setAsOf] = useState(shanghaiToday());
  const [checks, setChecks] = useState<QualityList[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    let gone = false;
    setChecks(null);
    http.get<{ checks: QualityList[] }>('/ledger/quality', { asOf }).then(
      (r) => !gone && setChecks(r.checks),
      (err: Error) => !gone && setError(err.message),
    );
    return () => {
      gone = true;
    };
  }, [http, asOf]);

  const download = async (format: 'xlsx' | 'csv') => {
    try {
      const file = await http.blob('/ledger/quality', { asOf, format });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(file);
      a.download = `台账数据质量-${asOf}.${format}`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section class="quality">
      <h2>
        台账数据质量{' '}
        <label class="muted">
          核查日期 <input type="date" value={asOf} onInput={(e) => setAsOf((e.currentTarget as HTMLInputElement).value || shanghaiToday())} />
        </label>{' '}
        <button type="button" onClick={() => void download('xlsx')}>导出 Excel</button> <button type="button" onClick={() => void download('csv')}>导出 CSV</button>
      </h2>
      {error && <p class="error" role="alert">{error}</p>}
      {!checks && !error && <p class="muted">加载中…</p>}
      {checks?.map((c) => (
        <div key={c.check} class="card quality-check">
          <button type="button" class="ghost" onClick={() => setOpen(open === c.check ? null : c.check)} aria-expanded={open === c.check}>
            <strong>{c.title}</strong> <span class={c.count > 0 ? 'badge warn' : 'muted'}>{c.count} 家</span>
          </button>
          {open === c.check && c.count > 0 && (
            <table class="list compact">
              <thead>
                <tr><th>企业名称</th><th>统一社会信用代码</th><th>区县</th><th>问题说明</th></tr>
              </thead>
              <tbody>
                {c.items.map((i) => (
                  <tr key={i.enterpriseId}>
                    <td><Link href={`/enterprises/${i.enterpriseId}`}>{i.name}</Link></td>
                    <td>{i.uscc}</td>
                    <td>{i.regionCode}</td>
                    <td>{i.detail}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
    </section>
  );
}

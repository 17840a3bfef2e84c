// Record a hazard (issue 12): an enterprise user reports its own (企业自查); a regulator records one
// directly or from an inspection (督导检查); from an alarm disposed as a real hazard
// (`?alarmId=`), the alarm's enterprise, point, values and a link back are carried by the API.
// The 判定依据 picker lists only the catalogue items of the enterprise's risk categories.
import { type CatalogueItem, itemsForCategories } from '@sw/hazards';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { AlarmDetail, Hazard } from '../api/api.types';
import { formatDateTime, formatValue } from '../shared/format';
import { CATEGORY_LABEL, districtText, HAZARD_SOURCE_LABEL, tierText } from '../shared/labels';
import { useObservable } from '../shared/observable';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { navigate } from '../shell/router';
import { refusalText } from './hazard-refusal';

/** `article:item` of a catalogue item, the picker's option value. */
export const itemKey = (i: Pick<CatalogueItem, 'article' | 'item'>) => `${i.article}:${i.item ?? ''}`;

export function parseItemKey(key: string): { article: number; item: number | null } | null {
  const m = /^(\d+):(\d*)$/.exec(key);
  if (!m) return null;
  return { article: Number(m[1]), item: m[2] ? Number(m[2]) : null };
}

export function HazardNewPage() {
  const { http, session, directory } = useConsole();
  const enterprises = useObservable(directory);
  const params = new URLSearchParams(location.search);
  const alarmId = params.get('alarmId');
  const isEnterprise = session.role === 'enterprise';
  const [enterpriseId, setEnterpriseId] = useState(isEnterprise ? (session.enterpriseId ?? '') : (params.get('enterpriseId') ?? ''));
  const [alarm, setAlarm] = useState<AlarmDetail | null>(null);
  const [source, setSource] = useState<'regulator' | 'inspection'>('regulator');
  const [key, setKey] = useState('');
  const [description, setDescription] = useState('');
  const [place, setPlace] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!alarmId) return;
    http.get<AlarmDetail>(`/alarms/${alarmId}`).then(
      (a) => {
        setAlarm(a);
        setEnterpriseId(a.enterpriseId);
        setDescription((d) => d || a.message);
      },
      (err: unknown) => setError(refusalText(err)),
    );
  }, [http, alarmId]);

  const enterprise = enterprises.get(enterpriseId);
  const items = useMemo(() => (enterprise ? itemsForCategories(enterprise.riskCategories) : []), [enterprise]);
  const sorted = useMemo(() => [...enterprises.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')), [enterprises]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const basis = parseItemKey(key);
    if (!basis) return setError('请选择判定依据');
    setBusy(true);
    setError(null);
    const common = { ...basis, description: description.trim(), ...(place.trim() && { location: place.trim() }) };
    try {
      const h = alarmId
        ? await http.post<Hazard>(`/alarms/${alarmId}/hazard`, common)
        : await http.post<Hazard>('/hazards', { ...common, source: isEnterprise ? 'self_check' : source, ...(enterpriseId && { enterpriseId }) });
      navigate(`/hazards/${h.id}`);
    } catch (err) {
      setError(refusalText(err));
      setBusy(false);
    }
  };

  const title = alarmId ? '由报警登记重大事故隐患' : isEnterprise ? '企业自查上报重大事故隐患' : '登记重大事故隐患';
  return (
    <section class="hazard-new">
      <p class="crumbs">
        <Link href={alarmId ? `/alarms/${alarmId}` : '/hazards'}>{alarmId ? '← 返回报警' : '← 返回隐患列表'}</Link>
      </p>
      <h2>{title}</h2>
      {alarm && (
        <p class="notice alarm-origin" data-alarm-id={alarm.id}>
          来源报警：{tierText(alarm.peakTier)} {alarm.message}，峰值 {formatValue(alarm.peakValue, alarm.unit)}，{formatDateTime(alarm.raisedAt)}
        </p>
      )}
      <form class="action-form hazard-form" onSubmit={(e) => void submit(e)}>
        {!isEnterprise && !alarmId && (
          <>
            <label>
              企业
              <select name="enterpriseId" value={enterpriseId} onChange={(e) => (setEnterpriseId(e.currentTarget.value), setKey(''))} required>
                <option value="">请选择企业</option>
                {sorted.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.name}（{districtText(e.regionCode)}）
                  </option>
                ))}
              </select>
            </label>
            <label>
              来源
              <select name="source" value={source} onChange={(e) => setSource(e.currentTarget.value as 'regulator' | 'inspection')}>
                <option value="regulator">{HAZARD_SOURCE_LABEL.regulator}</option>
                <option value="inspection">{HAZARD_SOURCE_LABEL.inspection}</option>
              </select>
            </label>
          </>
        )}
        {(isEnterprise || alarmId) && enterprise && (
          <p class="muted">
            企业：{enterprise.name}（{enterprise.riskCategories.map((c) => CATEGORY_LABEL[c]).join('、')}）
          </p>
        )}
        <label>
          判定依据（《工贸企业重大事故隐患判定标准》）
          <select name="basis" value={key} onChange={(e) => setKey(e.currentTarget.value)} required disabled={!enterprise}>
            <option value="">{enterprise ? '请选择条款' : '请先选择企业'}</option>
            {items.map((i) => (
              <option key={itemKey(i)} value={itemKey(i)}>
                {i.label} {i.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          隐患描述
          <textarea name="description" rows={3} value={description} onInput={(e) => setDescription(e.currentTarget.value)} required={!alarmId} />
        </label>
        <label>
          位置（可选）
          <input name="location" value={place} onInput={(e) => setPlace(e.currentTarget.value)} />
        </label>
        <div class="form-buttons">
          <button type="submit" class="primary" disabled={busy}>
            {isEnterprise ? '上报' : '登记'}
          </button>
        </div>
        {error && (
          <p class="error" role="alert">
            操作失败：{error}
          </p>
        )}
      </form>
    </section>
  );
}

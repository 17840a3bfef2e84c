// 隐患 detail (issue 12): its fields, 判定依据, the rectification, the evidence photos, the actions
// the role and state allow, and the timeline of its events (who, when, why). Outside the user's
// scope (another enterprise's hazard) the API answers 404 and the page says it was not found.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { HazardDetail, HazardEvent, HazardPhoto } from '../api/api.types';
import { ApiError } from '../api/http.client';
import { formatDateTime, formatValue } from '../shared/format';
import { CATEGORY_LABEL, districtText, HAZARD_EVENT_LABEL, HAZARD_SOURCE_LABEL, HAZARD_STATUS_LABEL, roleText, tierText } from '../shared/labels';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { HazardActions } from './hazard-action-forms';
import { photoObjectUrl, StatusPill } from './hazard-bits';
import { refusalText } from './hazard-refusal';

export function HazardPage({ id }: { id: string }) {
  const { http, session, directory } = useConsole();
  const [hazard, setHazard] = useState<HazardDetail | null>(null);
  const [error, setError] = useState<{ status: number; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      setHazard(await http.get<HazardDetail>(`/hazards/${id}`));
      setError(null);
    } catch (err) {
      setError({ status: err instanceof ApiError ? err.status : 0, text: refusalText(err) });
    }
  }, [http, id]);
  useEffect(() => void load(), [load]);

  if (error?.status === 404 || error?.status === 400) {
    return (
      <section class="hazard-detail not-found" data-not-found="true">
        <p class="empty">未找到该隐患（或不在您的管辖范围内）</p>
        <p class="crumbs"><Link href="/hazards">← 返回隐患列表</Link></p>
      </section>
    );
  }
  if (!hazard) return error ? <p class="error" role="alert">{error.text}</p> : <p class="muted">加载中…</p>;
  const h = hazard;
  const enterprise = directory.get(h.enterpriseId);
  return (
    <section class="hazard-detail" data-hazard-id={h.id} data-status={h.status}>
      <p class="crumbs">
        <Link href="/hazards">← 返回隐患列表</Link>
      </p>
      <div class="detail-grid">
        <div class="detail-main">
          <div class="summary hazard-summary">
            <div class="summary-head">
              <strong class="hazard-basis">{h.basis ? `${h.basis.label} ${h.basis.title}` : `第${h.article}条`}</strong>
              <StatusPill hazard={h} />
            </div>
            <p class="hazard-description">{h.description}</p>
            <dl class="facts">
              <Fact term="企业">
                <Link href={`/enterprises/${h.enterpriseId}`}>{enterprise?.name ?? h.enterpriseId}</Link>
              </Fact>
              <Fact term="区县">{districtText(h.regionCode)}</Fact>
              <Fact term="行业类别">{h.categories.map((c) => CATEGORY_LABEL[c] ?? c).join('、') || '—'}</Fact>
              <Fact term="来源">
                {HAZARD_SOURCE_LABEL[h.source]}
                {h.alarm && (
                  <>
                    {' · '}
                    <Link href={`/alarms/${h.alarm.alarmId}`}>查看报警</Link>
                  </>
                )}
              </Fact>
              <Fact term="位置">{h.location ?? '—'}</Fact>
              <Fact term="登记">
                {formatDateTime(h.reportedAt)} {h.reportedBy.username}
              </Fact>
              <Fact term="确认">{h.confirmedAt ? `${formatDateTime(h.confirmedAt)} ${h.confirmedBy?.username ?? ''}` : '—'}</Fact>
              <Fact term="整改期限">{formatDateTime(h.deadline)}</Fact>
              <Fact term="销号">{h.signedOffAt ? `${formatDateTime(h.signedOffAt)} ${h.signedOffBy?.username ?? ''}` : '—'}</Fact>
            </dl>
            {h.alarm && (
              <p class="muted small alarm-origin">
                报警：{tierText(h.alarm.tier)} {h.alarm.message}，报警值 {formatValue(h.alarm.value, h.alarm.unit)}，峰值 {formatValue(h.alarm.peakValue, h.alarm.unit)}，{formatDateTime(h.alarm.raisedAt)}
              </p>
            )}
            {h.rejectedReason && <p class="notice">不予认定理由：{h.rejectedReason}</p>}
            {h.lastReturnReason && h.status === 'rectifying' && (
              <p class="notice">
                已退回 {h.returns} 次，最近理由：{h.lastReturnReason}
              </p>
            )}
          </div>
          <HazardActions hazard={h} session={session} http={http} onDone={() => void load()} />
          {h.plan && (
            <div class="card hazard-plan">
              <h3>整改方案</h3>
              <dl class="facts">
                <Fact term="整改措施">{h.plan.measures}</Fact>
                <Fact term="整改资金">{h.plan.funds === null ? '—' : `${h.plan.funds} 元`}</Fact>
                <Fact term="整改责任人">{h.plan.responsible}</Fact>
                <Fact term="整改期限">{formatDateTime(h.plan.deadline)}</Fact>
              </dl>
            </div>
          )}
          {h.evidence && (
            <div class="card hazard-evidence">
              <h3>整改材料</h3>
              <p>{h.evidence.text}</p>
              <p class="muted small">
                {formatDateTime(h.evidence.submittedAt)} {h.evidence.submittedBy.username} 提交
              </p>
            </div>
          )}
          {h.photos.length > 0 && <Photos photos={h.photos} />}
        </div>
        <aside class="detail-side">
          <h3>办理过程</h3>
          <HazardTimeline events={h.events} />
        </aside>
      </div>
    </section>
  );
}

function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function HazardTimeline({ events }: { events: HazardEvent[] }) {
  return (
    <ol class="timeline hazard-timeline">
      {events.map((e) => (
        <li key={e.id} class={`event event-${e.event}`} data-event={e.event}>
          <span class="event-time">{formatDateTime(e.at)}</span>
          <span class="event-name">{HAZARD_EVENT_LABEL[e.event] ?? e.event}</span>
          <span class="event-actor">
            {e.actor.username}（{roleText(e.actor.role)}）
          </span>
          {(e.reason || detailOf(e)) && <span class="event-detail">{e.reason ?? detailOf(e)}</span>}
          {e.to && e.from !== e.to && <span class="event-detail muted small">{`${e.from ? HAZARD_STATUS_LABEL[e.from] : '—'} → ${HAZARD_STATUS_LABEL[e.to]}`}</span>}
        </li>
      ))}
    </ol>
  );
}

function detailOf(e: HazardEvent): string | null {
  const d = e.data;
  if (e.event === 'planned') return `措施：${String(d['measures'] ?? '')}；责任人：${String(d['responsible'] ?? '')}；期限：${formatDateTime(String(d['deadline'] ?? ''))}`;
  if (e.event === 'submitted') {
    const photos = Array.isArray(d['photos']) ? d['photos'].length : 0;
    return `${String(d['text'] ?? '')}${photos ? `（照片 ${photos} 张）` : ''}`;
  }
  return null;
}

function Photos({ photos }: { photos: HazardPhoto[] }) {
  const { http } = useConsole();
  const [urls, setUrls] = useState<Record<string, string>>({});
  useEffect(() => {
    let gone = false;
    const made: string[] = [];
    for (const p of photos) {
      photoObjectUrl(http, p.url).then(
        (u) => {
          made.push(u);
          if (!gone) setUrls((prev) => ({ ...prev, [p.id]: u }));
        },
        () => undefined,
      );
    }
    return () => {
      gone = true;
      made.forEach((u) => URL.revokeObjectURL(u));
    };
  }, [http, photos]);
  return (
    <div class="card hazard-photos">
      <h3>现场照片（{photos.length}）</h3>
      <div class="photo-grid">
        {photos.map((p) =>
          urls[p.id] ? (
            <a key={p.id} href={urls[p.id]} target="_blank" rel="noopener">
              <img src={urls[p.id]} alt="整改照片" class="hazard-photo" data-photo-id={p.id} />
            </a>
          ) : (
            <span key={p.id} class="photo-placeholder muted small">加载中…</span>
          ),
        )}
      </div>
    </div>
  );
}

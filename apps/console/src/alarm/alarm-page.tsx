// Alarm detail (issue 7): summary, actions, the point's readings with setpoints, event timeline;
// disposed as a real hazard, it offers to record a major hazard from it (issue 12).
// Follows the live feed: a newer snapshot of this alarm (another officer's ack, say) reloads it.
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { Alarm, AlarmDetail, Point, Readings } from '../api/api.types';
import { ApiError } from '../api/http.client';
import { OnlinePatrolButton } from '../inspection/online-patrol-button';
import { offersHazard } from '../hazards/hazard-actions';
import { useWatch } from '../shared/observable';
import { useConsole } from '../shell/console.service';
import { Link } from '../shell/link';
import { AlarmActions } from './alarm-actions';
import { AlarmSummary } from './alarm-summary';
import { EventTimeline } from './event-timeline';
import { effectiveThresholds, pointTypeLabel, setpointsOf } from './point-thresholds';
import { ReadingsChart } from './readings-chart';
import { readingsWindow, toSeries } from './readings-window';

export function AlarmPage({ id }: { id: string }) {
  const { http, board, directory, session } = useConsole();
  const [alarm, setAlarm] = useState<AlarmDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [point, setPoint] = useState<Point | null>(null);
  const [pointError, setPointError] = useState<string | null>(null);
  const live = useWatch(board, () => board.get(id));
  const pointId = alarm?.pointId ?? null;

  const load = useCallback(async () => {
    try {
      const detail = await http.get<AlarmDetail>(`/alarms/${id}`);
      board.merge([withoutEvents(detail)]);
      setAlarm(detail);
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }, [http, board, id]);

  useEffect(() => void load(), [load]);
  useEffect(() => {
    if (pointId) http.get<Point>(`/points/${pointId}`).then(setPoint, (err: Error) => setPointError(err.message));
  }, [http, pointId]);
  useEffect(() => {
    if (live && alarm && live.seq > alarm.seq) void load();
  }, [live, alarm, load]);

  if (!alarm) return error ? <p class="error" role="alert">{error}</p> : <p class="muted">加载中…</p>;
  return (
    <section class="alarm-detail" data-alarm-id={alarm.id} data-seq={alarm.seq}>
      <p class="crumbs">
        <Link href="/">← 返回报警看板</Link> <OnlinePatrolButton alarmId={alarm.id} />
      </p>
      <div class="detail-grid">
        <div class="detail-main">
          <AlarmSummary alarm={alarm} enterprise={directory.get(alarm.enterpriseId)} point={point} />
          <AlarmActions alarm={alarm} role={session.role} http={http} onDone={() => void load()} />
          {offersHazard(alarm.events) && (
            <p class="hazard-offer notice">
              该报警已处置为真实隐患。{' '}
              <Link href={`/hazards/new?alarmId=${alarm.id}`} class="button primary">
                登记重大事故隐患
              </Link>{' '}
              <span class="muted small">带入报警的企业、监测点、报警值和报警链接</span>
            </p>
          )}
          {pointError && <p class="error">监测点信息加载失败：{pointError}</p>}
          {point && <PointReadings alarm={alarm} point={point} />}
        </div>
        <aside class="detail-side">
          <h3>事件时间线</h3>
          <EventTimeline events={alarm.events} />
        </aside>
      </div>
    </section>
  );
}

function PointReadings({ alarm, point }: { alarm: AlarmDetail; point: Point }) {
  const { http } = useConsole();
  const [readings, setReadings] = useState<Readings | null>(null);
  const [error, setError] = useState<string | null>(null);

  const [range, setRange] = useState<[number, number]>([0, 0]);
  const { raisedAt, clearedAt } = alarm;
  useEffect(() => {
    const w = readingsWindow({ raisedAt, clearedAt });
    setRange([Date.parse(w.from), Date.parse(w.to)]);
    http.get<Readings>(`/points/${point.id}/readings`, { from: w.from, to: w.to, every: w.every }).then(setReadings, (err: Error) => setError(err.message));
  }, [http, point.id, raisedAt, clearedAt, alarm.seq]);

  const setpoints = useMemo(() => setpointsOf(effectiveThresholds(point)), [point]);
  const series = useMemo(() => (readings ? toSeries(readings.readings) : []), [readings]);
  if (error) return <p class="error">读数加载失败：{error}</p>;
  if (!readings) return <p class="muted">读数加载中…</p>;
  const title = `${point.code} ${point.name || pointTypeLabel(point.type)}`;
  return (
    <div class="readings">
      <h3>
        {title} <span class="muted">{readings.every ? `读数（每 ${readings.every} 均值）` : '读数'} · 虚线为报警设定值</span>
      </h3>
      <ReadingsChart alarm={alarm} range={range} series={series} setpoints={setpoints} unit={readings.unit || point.unit} title={title} />
      {series.length === 0 && <p class="muted">该时段没有读数</p>}
    </div>
  );
}

function withoutEvents(detail: AlarmDetail): Alarm {
  const snapshot: Partial<AlarmDetail> = { ...detail };
  delete snapshot.events;
  return snapshot as Alarm;
}

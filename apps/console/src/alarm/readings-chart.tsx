// The point's readings around the alarm with its setpoints drawn as marked lines (issue 7).
import { useMemo } from 'preact/hooks';
import type { Alarm } from '../api/api.types';
import { type ChartOption, Chart } from '../shared/chart';
import { formatShort } from '../shared/format';
import { TIER_COLOUR, TIER_LABEL } from '../shared/labels';
import type { Setpoint } from './point-thresholds';

interface Props {
  alarm: Alarm;
  /** the time range asked for, epoch ms */
  range: [number, number];
  series: [number, number][];
  setpoints: Setpoint[];
  unit: string;
  title: string;
}

export function ReadingsChart({ alarm, range, series, setpoints, unit, title }: Props) {
  const option = useMemo(() => chartOption(alarm, range, series, setpoints, unit, title), [alarm, range, series, setpoints, unit, title]);
  return <Chart option={option} height={300} label={`${title} 读数曲线`} />;
}

/** The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above x: an axis end a person reads at a glance. */
export function niceCeil(x: number): number {
  if (x <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(x));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= x) ?? 10;
  return step * magnitude;
}

function chartOption(alarm: Alarm, range: [number, number], series: [number, number][], setpoints: Setpoint[], unit: string, title: string): ChartOption {
  const values = [...series.map(([, v]) => v), ...setpoints.map((s) => s.value)];
  const top = values.length ? Math.max(...values) : 1;
  const bottom = values.length ? Math.min(0, ...values) : 0;
  const times: { xAxis: number; name: string }[] = [{ xAxis: Date.parse(alarm.raisedAt), name: '报警' }];
  if (alarm.clearedAt) times.push({ xAxis: Date.parse(alarm.clearedAt), name: '恢复' });
  return {
    grid: { left: 56, right: 96, top: 36, bottom: 36 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${String(v)} ${unit}` },
    xAxis: { type: 'time', min: range[0], max: range[1], axisLabel: { formatter: (v: number) => formatShort(new Date(v).toISOString()).slice(6, 11) } },
    yAxis: { type: 'value', name: unit, nameTextStyle: { align: 'right' }, min: bottom < 0 ? -niceCeil(-bottom * 1.1) : 0, max: niceCeil(top * 1.1), splitLine: { lineStyle: { color: '#e5e8ee' } } },
    series: [
      {
        name: title,
        type: 'line',
        data: series,
        showSymbol: series.length < 60,
        lineStyle: { width: 2, color: '#24324a' },
        itemStyle: { color: '#24324a' },
        markLine: {
          symbol: 'none',
          silent: true,
          data: [
            ...setpoints.map((s) => ({
              yAxis: s.value,
              lineStyle: { color: TIER_COLOUR[s.tier], type: 'dashed' as const, width: 1.5 },
              label: { formatter: `${TIER_LABEL[s.tier]}${s.direction === 'low' ? '(低)' : ''} ${s.value}`, color: TIER_COLOUR[s.tier], position: 'end' as const },
            })),
            ...times.map((t) => ({ xAxis: t.xAxis, lineStyle: { color: '#8a94a6', type: 'solid' as const }, label: { formatter: t.name, position: 'end' as const } })),
          ],
        },
      },
    ],
  };
}

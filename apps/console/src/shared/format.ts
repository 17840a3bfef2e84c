// Times in Asia/Shanghai (docs/domain.md: days are Shanghai days), numbers and rates for display.

const TZ = 'Asia/Shanghai';
const dateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** 2026-11-28T10:00Z → "11-28 18:00:00" in Shanghai time: short enough for a board row. */
export function formatShort(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parts = dateTime.formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

export function formatValue(value: number | null | undefined, unit?: string | null): string {
  if (value === null || value === undefined) return '—';
  const rounded = Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(4)).toString();
  return unit ? `${rounded} ${unit}` : rounded;
}

export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** Today's date in Shanghai as YYYY-MM-DD. */
export function shanghaiToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(now);
}

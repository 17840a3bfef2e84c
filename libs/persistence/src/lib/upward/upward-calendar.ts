// The half-year upward reporting calendar (docs/domain.md "The policy behind it": the work summary
// and the ledger are due 4 June and 4 December). Pure: days are Asia/Shanghai `YYYY-MM-DD`.

/** Days before a due day from which the reminder is sent and the console shows its banner. */
export const UPWARD_REMINDER_LEAD_DAYS = 10;

export interface UpwardDue {
  /** the due day, `YYYY-MM-04` */
  dueDate: string;
  /** whole days from `today` to the due day (0 on the day) */
  daysLeft: number;
  /** the half year the submission reports on */
  period: { from: string; to: string };
}

const DAY_MS = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

/** The due days of a year with the half year each reports on: 4 June → January–June, 4 December → July–December. */
export function upwardDueDays(year: number): UpwardDue[] {
  return [
    { dueDate: `${year}-06-04`, daysLeft: 0, period: { from: `${year}-01-01`, to: `${year}-06-30` } },
    { dueDate: `${year}-12-04`, daysLeft: 0, period: { from: `${year}-07-01`, to: `${year}-12-31` } },
  ];
}

/** The due day whose reminder window — the lead days before it up to the day itself — contains `today`, or null. */
export function upwardDueOn(today: string): UpwardDue | null {
  for (const d of upwardDueDays(Number(today.slice(0, 4)))) {
    const left = days(today, d.dueDate);
    if (left >= 0 && left <= UPWARD_REMINDER_LEAD_DAYS) return { ...d, daysLeft: left };
  }
  return null;
}

/** The half year (January–June or July–December) that contains `day`. */
export function halfYearOf(day: string): { from: string; to: string } {
  const year = day.slice(0, 4);
  return day.slice(5) < '07-01' ? { from: `${year}-01-01`, to: `${year}-06-30` } : { from: `${year}-07-01`, to: `${year}-12-31` };
}

import { Inject, Injectable } from '@nestjs/common';
import { halfYearOf, LedgerSnapshotRepository, type Principal, shanghaiToday, UpwardRemindersRepository, upwardDueOn, type UpwardDue, WorkSummaryRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import type { LedgerDiff, SnapshotRecord } from './ledger-diff.rule';
import { upwardRegion } from './upward-region';
import type { SectionKey, SummaryFigures } from './work-summary.types';

/** The api's clock for the reminder banner (a holder, so a spec can set the day). */
export const UPWARD_CLOCK = Symbol('UPWARD_CLOCK');
export interface UpwardClock {
  now: () => number;
}

export interface UpwardReminderStatus {
  regionCode: string;
  today: string;
  /** the due day whose 10-day window today is in, or null */
  due: UpwardDue | null;
  ledgerSubmitted: boolean;
  summaryFinalized: boolean;
  /** the console shows the banner: in a window, and something still to do */
  show: boolean;
  /** reminders already sent to the region's duty officers */
  sent: { dueDate: string; createdAt: string }[];
}

/** What the console's reminder banner says (docs/domain.md "The closed loop", Upward). */
@Injectable()
export class UpwardReminderStatusService {
  private readonly reminders: UpwardRemindersRepository;

  constructor(
    ds: DataSource,
    private readonly snapshots: LedgerSnapshotRepository<SnapshotRecord, LedgerDiff>,
    private readonly summaries: WorkSummaryRepository<SummaryFigures, SectionKey>,
    @Inject(UPWARD_CLOCK) private readonly clock: UpwardClock,
  ) {
    this.reminders = new UpwardRemindersRepository(ds);
  }

  async status(p: Principal, regionCode: string | undefined): Promise<UpwardReminderStatus> {
    const region = upwardRegion(p, regionCode);
    const today = shanghaiToday(new Date(this.clock.now()));
    const due = upwardDueOn(today);
    const period = due?.period ?? halfYearOf(today);
    const [ledgerSubmitted, summary, sent] = await Promise.all([this.snapshots.submittedIn(region, period.from, period.to), this.summaries.find(region, period.from, period.to), this.reminders.sent(region)]);
    const summaryFinalized = summary?.status === 'final';
    return { regionCode: region, today, due, ledgerSubmitted, summaryFinalized, show: due !== null && !(ledgerSubmitted && summaryFinalized), sent };
  }
}

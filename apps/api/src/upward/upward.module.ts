import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { LedgerSnapshotRepository } from './ledger-snapshot.repository';
import { LedgerSnapshotsService } from './ledger-snapshots.service';
import { UPWARD_CLOCK, UpwardReminderStatusService } from './upward-reminder-status.service';
import { UpwardController } from './upward.controller';
import { WorkSummaryDocumentService } from './work-summary-document.service';
import { WorkSummaryRepository } from './work-summary.repository';
import { WorkSummaryService } from './work-summary.service';

@Module({
  imports: [ReportsModule],
  controllers: [UpwardController],
  providers: [
    LedgerSnapshotRepository,
    LedgerSnapshotsService,
    WorkSummaryRepository,
    WorkSummaryService,
    WorkSummaryDocumentService,
    UpwardReminderStatusService,
    { provide: UPWARD_CLOCK, useValue: { now: () => Date.now() } },
  ],
})
export class UpwardModule {}

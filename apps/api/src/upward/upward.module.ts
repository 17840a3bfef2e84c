import { Module } from '@nestjs/common';
import { LedgerSnapshotRepository, WorkSummaryRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { ReportsModule } from '../reports/reports.module';
import type { LedgerDiff, SnapshotRecord } from './ledger-diff.rule';
import { LedgerSnapshotsService } from './ledger-snapshots.service';
import { UPWARD_CLOCK, UpwardReminderStatusService } from './upward-reminder-status.service';
import { UpwardController } from './upward.controller';
import { WorkSummaryDocumentService } from './work-summary-document.service';
import { WorkSummaryService } from './work-summary.service';
import type { SectionKey, SummaryFigures } from './work-summary.types';

@Module({
  imports: [ReportsModule],
  controllers: [UpwardController],
  providers: [
    { provide: LedgerSnapshotRepository, inject: [DataSource], useFactory: (ds: DataSource) => new LedgerSnapshotRepository<SnapshotRecord, LedgerDiff>(ds) },
    LedgerSnapshotsService,
    { provide: WorkSummaryRepository, inject: [DataSource], useFactory: (ds: DataSource) => new WorkSummaryRepository<SummaryFigures, SectionKey>(ds) },
    WorkSummaryService,
    WorkSummaryDocumentService,
    UpwardReminderStatusService,
    { provide: UPWARD_CLOCK, useValue: { now: () => Date.now() } },
  ],
})
export class UpwardModule {}

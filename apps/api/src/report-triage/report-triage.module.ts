import { Module } from '@nestjs/common';
import { PostingLinkRepository, PublicReportStore } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { EvidenceStorageService } from '../hazards/evidence-storage.service';
import { PostingLinksController, PostingLinksService } from './posting-links.controller';
import { ReportTriageController } from './report-triage.controller';
import { ReportTriageService } from './report-triage.service';

/** The bureau's side of 举报 (triage) and of 内部公示 (posting links), behind login and scope. */
@Module({
  controllers: [ReportTriageController, PostingLinksController],
  providers: [
    { provide: PublicReportStore, inject: [DataSource], useFactory: (ds: DataSource) => new PublicReportStore(ds) },
    { provide: PostingLinkRepository, inject: [DataSource], useFactory: (ds: DataSource) => new PostingLinkRepository(ds) },
    EvidenceStorageService,
    ReportTriageService,
    PostingLinksService,
  ],
})
export class ReportTriageModule {}

import { Module } from '@nestjs/common';
import { PostingLinkRepository, PublicReportStore } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { EvidenceStorageService } from '../hazards/evidence-storage.service';
import { PublicController } from './public.controller';
import { PublicPostingsService } from './public-postings.service';
import { PublicReportsService } from './public-reports.service';

/**
 * Public endpoints (docs/architecture.md: a separate, rate-limited module with no access to
 * anything else): it imports no other feature module and builds its only two stores itself —
 * public reports (write-only plus lookup by code) and posting links (read-only).
 */
@Module({
  controllers: [PublicController],
  providers: [
    { provide: PublicReportStore, inject: [DataSource], useFactory: (ds: DataSource) => new PublicReportStore(ds) },
    { provide: PostingLinkRepository, inject: [DataSource], useFactory: (ds: DataSource) => new PostingLinkRepository(ds) },
    EvidenceStorageService,
    PublicReportsService,
    PublicPostingsService,
  ],
})
export class PublicModule {}

import { Module } from '@nestjs/common';
import { UploadService } from '../files/upload.service';
import { LedgerController } from './ledger.controller';
import { LedgerExportService } from './ledger-export.service';
import { LedgerImportService } from './ledger-import.service';
import { LedgerQualityService } from './ledger-quality.service';

/** The enterprise ledger (台账): bulk import and export, and the data-quality view. Registered before EnterprisesModule so `/enterprises/export` is not taken for an id. */
@Module({ controllers: [LedgerController], providers: [LedgerImportService, LedgerExportService, LedgerQualityService, UploadService] })
export class LedgerModule {}

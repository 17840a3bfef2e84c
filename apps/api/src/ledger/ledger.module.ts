import { Module } from '@nestjs/common';
import { UploadService } from '../files/upload.service';
import { LedgerController } from './ledger.controller';
import { LedgerExportService } from './ledger-export.service';
import { LedgerImportService } from './ledger-import.service';

/** The enterprise ledger (台账): bulk import and export. Registered before EnterprisesModule so `/enterprises/export` is not taken for an id. */
@Module({ controllers: [LedgerController], providers: [LedgerImportService, LedgerExportService, UploadService] })
export class LedgerModule {}

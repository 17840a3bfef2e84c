import { Module } from '@nestjs/common';
import { ReportSnapshotRepository } from '@sw/persistence';
import { DataSource } from 'typeorm';
import { KpiModule } from '../kpi/kpi.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { HalfYearReportService } from './half-year-report.service';
import { ReportPdfService } from './report-pdf.service';
import { ReportXlsxService } from './report-xlsx.service';
import type { HalfYearReport } from './report.types';
import { ReportsController } from './reports.controller';

@Module({ imports: [KpiModule, MaintenanceModule], controllers: [ReportsController], providers: [HalfYearReportService, ReportPdfService, ReportXlsxService, { provide: ReportSnapshotRepository, inject: [DataSource], useFactory: (ds: DataSource) => new ReportSnapshotRepository<HalfYearReport>(ds) }], exports: [HalfYearReportService, ReportSnapshotRepository] })
export class ReportsModule {}

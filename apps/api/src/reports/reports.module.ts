import { Module } from '@nestjs/common';
import { KpiModule } from '../kpi/kpi.module';
import { MaintenanceModule } from '../maintenance/maintenance.module';
import { HalfYearReportService } from './half-year-report.service';
import { ReportSnapshotRepository } from './report-snapshot.repository';
import { ReportPdfService } from './report-pdf.service';
import { ReportXlsxService } from './report-xlsx.service';
import { ReportsController } from './reports.controller';

@Module({ imports: [KpiModule, MaintenanceModule], controllers: [ReportsController], providers: [HalfYearReportService, ReportPdfService, ReportXlsxService, ReportSnapshotRepository], exports: [HalfYearReportService, ReportSnapshotRepository] })
export class ReportsModule {}

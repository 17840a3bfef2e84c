import { Module } from '@nestjs/common';
import { KpiModule } from '../kpi/kpi.module';
import { HalfYearReportService } from './half-year-report.service';
import { ReportPdfService } from './report-pdf.service';
import { ReportXlsxService } from './report-xlsx.service';
import { ReportsController } from './reports.controller';

@Module({ imports: [KpiModule], controllers: [ReportsController], providers: [HalfYearReportService, ReportPdfService, ReportXlsxService] })
export class ReportsModule {}

import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Principal, shanghaiToday } from '@sw/persistence';
import type { Response } from 'express';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { HalfYearReportService } from './half-year-report.service';
import { ReportPdfService } from './report-pdf.service';
import { ReportXlsxService } from './report-xlsx.service';
import { HalfYearReportPeriodDto, HalfYearReportQueryDto } from './reports.dto';

const TYPES = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

@ApiTags('reports')
@ApiBearerAuth()
@Roles('admin', 'regulator')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly report: HalfYearReportService,
    private readonly pdf: ReportPdfService,
    private readonly xlsx: ReportXlsxService,
  ) {}

  @Get('half-year')
  @ApiProduces(TYPES.pdf, TYPES.xlsx)
  @ApiOperation({
    summary: 'The half-year report (半年报告) for any period, as PDF or XLSX, from its stored snapshot',
    description:
      'KPIs (connection, online, completeness, disposal, timely acknowledgement and disposal, ISA-18.2 load) with their monthly trend, by district and category; ' +
      'in-scope enterprises not yet connected; data gaps; 检修 windows; the top 10 enterprises by alarms; overdue and unclosed alarms; disposal causes. Without from/to: the current half year. ' +
      'The figures are stored when the report is first generated and shown unchanged afterwards (newest version, or `version`); POST …/half-year/versions makes a new version. ' +
      'Headers X-Report-Version and X-Report-Generated-At name the snapshot.',
  })
  async halfYear(@CurrentPrincipal() p: Principal, @Query() q: HalfYearReportQueryDto, @Res() res: Response): Promise<void> {
    const period = q.from && q.to ? { from: q.from, to: q.to } : currentHalfYear(shanghaiToday());
    const report = await this.report.get(p, { regionCode: q.regionCode, ...period, version: q.version });
    const file = q.format === 'pdf' ? await this.pdf.render(report) : await this.xlsx.render(report);
    res.setHeader('Content-Type', TYPES[q.format]);
    res.setHeader('X-Report-Version', String(report.version));
    res.setHeader('X-Report-Generated-At', report.generatedAt);
    res.setHeader('Content-Disposition', `attachment; filename="half-year-${report.regionCode ?? 'all'}-${period.from}-${period.to}-v${report.version}.${q.format}"`);
    res.send(file);
  }

  @Get('half-year/versions')
  @ApiOperation({ summary: 'The stored versions of a half-year report (none until it is first generated)' })
  versions(@CurrentPrincipal() p: Principal, @Query() q: HalfYearReportPeriodDto) {
    const period = q.from && q.to ? { from: q.from, to: q.to } : currentHalfYear(shanghaiToday());
    return this.report.versions(p, { regionCode: q.regionCode, ...period });
  }

  @Post('half-year/versions')
  @Audited('report.regenerate', 'half_year_report')
  @ApiOperation({ summary: 'Regenerate: a new version of the half-year report from the data as it is now; the earlier versions stay as they were' })
  async regenerate(@CurrentPrincipal() p: Principal, @Query() q: HalfYearReportPeriodDto) {
    const period = q.from && q.to ? { from: q.from, to: q.to } : currentHalfYear(shanghaiToday());
    const report = await this.report.regenerate(p, { regionCode: q.regionCode, ...period });
    return { regionCode: report.regionCode, from: report.from, to: report.to, version: report.version, generatedAt: report.generatedAt, generatedBy: report.generatedBy };
  }
}

function currentHalfYear(today: string): { from: string; to: string } {
  const year = today.slice(0, 4);
  return today.slice(5) < '07-01' ? { from: `${year}-01-01`, to: `${year}-06-30` } : { from: `${year}-07-01`, to: `${year}-12-31` };
}

import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { type Principal, shanghaiToday } from '@sw/persistence';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { HalfYearReportService } from './half-year-report.service';
import { ReportPdfService } from './report-pdf.service';
import { ReportXlsxService } from './report-xlsx.service';
import { HalfYearReportQueryDto } from './reports.dto';

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
    summary: 'The half-year report (半年报告) for any period, generated on demand, as PDF or XLSX',
    description:
      'KPIs (connection, online, completeness, disposal, timely acknowledgement and disposal, ISA-18.2 load) with their monthly trend, by district and category; ' +
      'in-scope enterprises not yet connected; the top 10 enterprises by alarms; overdue and unclosed alarms; disposal causes. Without from/to: the current half year.',
  })
  async halfYear(@CurrentPrincipal() p: Principal, @Query() q: HalfYearReportQueryDto, @Res() res: Response): Promise<void> {
    const period = q.from && q.to ? { from: q.from, to: q.to } : currentHalfYear(shanghaiToday());
    const report = await this.report.build(p, { regionCode: q.regionCode, ...period });
    const file = q.format === 'pdf' ? await this.pdf.render(report) : await this.xlsx.render(report);
    res.setHeader('Content-Type', TYPES[q.format]);
    res.setHeader('Content-Disposition', `attachment; filename="half-year-${report.regionCode ?? 'all'}-${period.from}-${period.to}.${q.format}"`);
    res.send(file);
  }
}

function currentHalfYear(today: string): { from: string; to: string } {
  const year = today.slice(0, 4);
  return today.slice(5) < '07-01' ? { from: `${year}-01-01`, to: `${year}-06-30` } : { from: `${year}-07-01`, to: `${year}-12-31` };
}

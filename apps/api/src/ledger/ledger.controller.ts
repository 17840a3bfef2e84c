import { BadRequestException, Controller, Get, HttpStatus, Param, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import type { Request, Response } from 'express';
import { Client, type ClientInfo, CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { UploadService } from '../files/upload.service';
import { ParseIdPipe } from '../http/id.pipe';
import { LEDGER_CONTENT_TYPES, type LedgerFormat } from './ledger-file.codec';
import { ExportLedgerQueryDto, ImportLedgerQueryDto, LedgerQualityQueryDto } from './ledger.dto';
import { LedgerExportService } from './ledger-export.service';
import { LedgerImportService } from './ledger-import.service';
import { LedgerQualityService } from './ledger-quality.service';

@ApiTags('ledger')
@ApiBearerAuth()
@Controller()
export class LedgerController {
  constructor(
    private readonly imports: LedgerImportService,
    private readonly exports: LedgerExportService,
    private readonly uploads: UploadService,
    private readonly quality: LedgerQualityService,
  ) {}

  @Post('enterprises/import')
  @Roles('admin', 'regulator')
  @ApiConsumes(LEDGER_CONTENT_TYPES.csv, LEDGER_CONTENT_TYPES.xlsx)
  @ApiBody({ description: 'The ledger file as the raw body (Content-Type text/csv or the XLSX type); header row of Chinese labels or code names', schema: { type: 'string', format: 'binary' } })
  @ApiOperation({
    summary: 'Bulk import of the enterprise ledger (台账) from CSV or XLSX; rows are matched by uscc (created or updated)',
    description:
      'Every bad row is reported as `{line, uscc, reasons}` (line = file line / sheet row, header = 1). mode=all-or-nothing (default): any bad row → 422 with the report, nothing imported; ' +
      'mode=valid-only: the valid rows are imported (200). async=true answers 202 with the job at once; follow `GET /imports/{id}` (`phase`, `processed`/`total`).',
  })
  async import(@CurrentPrincipal() p: Principal, @Client() client: ClientInfo, @Query() q: ImportLedgerQueryDto, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const format = formatOf(req.headers['content-type']);
    const upload = await this.uploads.receive(p, client, req, format, 'ledger.import'); // one per user (409), size and zip limits (413), audited
    const { job, done } = this.imports.start(p, upload.body, format, q.mode);
    this.uploads.settle(upload, done, job);
    if (q.async) {
      res.status(HttpStatus.ACCEPTED);
      return job;
    }
    await done;
    if (job.status === 'failed') throw new BadRequestException(job.message);
    if (job.status === 'rejected') {
      // the §4 error shape plus the report: answered here, as the error filter keeps only the shape
      res.status(HttpStatus.UNPROCESSABLE_ENTITY);
      return { statusCode: HttpStatus.UNPROCESSABLE_ENTITY, error: 'Unprocessable Entity', ...job };
    }
    res.status(HttpStatus.OK);
    return job;
  }

  @Get('imports/:id')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'An import job: progress (phase, processed of total) and, when finished, the report' })
  job(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.imports.get(p, id);
  }

  @Get('enterprises/export')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'The enterprise ledger in scope as CSV (UTF-8 with BOM) or XLSX; imports back unchanged' })
  async export(@CurrentPrincipal() p: Principal, @Client() client: ClientInfo, @Query() q: ExportLedgerQueryDto, @Res() res: Response): Promise<void> {
    const file = await this.exports.export(p, q.format, q.regionCode ?? null, client);
    res.setHeader('Content-Type', LEDGER_CONTENT_TYPES[q.format]);
    res.setHeader('Content-Disposition', `attachment; filename="enterprises.${q.format}"`);
    res.send(file);
  }

  @Get('ledger/quality')
  @Roles('admin', 'regulator')
  @ApiOperation({
    summary: 'Data quality of the ledger in scope (数据质量): a list with a count per check; format=csv or xlsx exports it',
    description:
      'Checks: missing_fields (in the connection scope on asOf), unknown_dust_workers, standardization_expired (expired or revoked), banned_casting_equipment (判定标准 第五条 deep-well casting items), coordinates_outside (the region_bounds box of the longest matching prefix). Closed enterprises are left out.',
  })
  async qualityReport(@CurrentPrincipal() p: Principal, @Query() q: LedgerQualityQueryDto, @Res({ passthrough: true }) res: Response) {
    const report = await this.quality.report(p, q.regionCode ?? null, q.asOf);
    if (q.format === 'json') return report;
    res.setHeader('Content-Type', LEDGER_CONTENT_TYPES[q.format]);
    res.setHeader('Content-Disposition', `attachment; filename="ledger-quality.${q.format}"`);
    return new StreamableFile(q.format === 'csv' ? LedgerQualityService.csv(report) : await LedgerQualityService.xlsx(report));
  }
}

function formatOf(contentType: string | undefined): LedgerFormat {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === LEDGER_CONTENT_TYPES.xlsx) return 'xlsx';
  throw new BadRequestException(`Content-Type must be text/csv or ${LEDGER_CONTENT_TYPES.xlsx}`);
}

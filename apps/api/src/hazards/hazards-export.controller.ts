import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import type { Response } from 'express';
import { Client, type ClientInfo, CurrentPrincipal } from '../auth/auth.decorator';
import { ExportHazardsQueryDto, HazardAnalysisQueryDto } from './hazards-export.dto';
import { HazardsAnalysisService } from './hazards-analysis.service';
import { HAZARD_FILE_TYPES, HazardsExportService } from './hazards-export.service';

/**
 * The hazard list as a file and the register's figures. Registered before `HazardsController`
 * so `/hazards/export` and `/hazards/analysis` are not taken for a hazard id.
 */
@ApiTags('hazards')
@ApiBearerAuth()
@Controller('hazards')
export class HazardsExportController {
  constructor(
    private readonly exports: HazardsExportService,
    private readonly analysis: HazardsAnalysisService,
  ) {}

  @Get('export')
  @ApiOperation({
    summary: 'The hazard list in scope as CSV (UTF-8 with BOM) or XLSX, Chinese headers, times in Asia/Shanghai',
    description: 'format=csv|xlsx and the filters of GET /hazards (status, source, category, article, item, enterpriseId, regionCode, overdue). Cells never start with = + - @. Audited (hazard.export).',
  })
  async export(@CurrentPrincipal() p: Principal, @Client() client: ClientInfo, @Query() q: ExportHazardsQueryDto, @Res() res: Response): Promise<void> {
    const { format, regionCode, ...filter } = q;
    const file = await this.exports.export(p, format, { ...filter, ...(regionCode && { regionPrefix: regionCode }) }, client);
    res.setHeader('Content-Type', HAZARD_FILE_TYPES[format]);
    res.setHeader('Content-Disposition', `attachment; filename="hazards.${format}"`);
    res.send(file);
  }

  @Get('analysis')
  @ApiOperation({
    summary: 'Figures for a period [from, to): counts by source, category, article, region and status; open and overdue; days to sign-off (median, p90); 动态清零率',
    description:
      'from and to: ISO 8601 instants or days (YYYY-MM-DD, the day’s start in Asia/Shanghai). Counts are of the hazards reported in the period, status as of `to`. 动态清零率 (clearanceRate) = of the hazards confirmed in the period, the share signed off by `to`. Days to sign-off: hazards signed off in the period, confirmation to sign-off; p90 by nearest rank.',
  })
  analyse(@CurrentPrincipal() p: Principal, @Query() q: HazardAnalysisQueryDto) {
    return this.analysis.analyse(p, q.from, q.to, q.regionCode ?? null);
  }
}

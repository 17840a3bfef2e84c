import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import type { Response } from 'express';
import { Client, type ClientInfo, CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { AssignReportDto, CloseReportDto, ListReportsQueryDto, ReportEnterpriseDto, RewardDto, VerifyReportDto } from './report-triage.dto';
import { ReportTriageService } from './report-triage.service';

/**
 * The bureau's 举报 queue. Regulators and admins only (an enterprise never sees who reported it);
 * a regulator sees the reports of its region and those whose enterprise is not known yet.
 */
@ApiTags('reports (举报 triage)')
@ApiBearerAuth()
@Roles('admin', 'regulator')
@Controller('reports')
export class ReportTriageController {
  constructor(private readonly triage: ReportTriageService) {}

  @Get()
  @ApiOperation({ summary: 'The 举报 queue, newest first; status=received,assigned,verifying,confirmed,unfounded (one or several); page, pageSize' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListReportsQueryDto) {
    return this.triage.list(p, q.status, { page: q.page, pageSize: q.pageSize });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One report with its photos (phone, matched enterprise, assignee, note, reply, reward, hazardId)' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.triage.get(p, id);
  }

  @Get(':id/photos/:photoId')
  @ApiOperation({ summary: 'A report photo (metadata stripped)' })
  async photo(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Param('photoId', ParseIdPipe) photoId: string, @Res() res: Response) {
    const { mime, bytes } = await this.triage.photo(p, id, photoId);
    res.setHeader('Content-Type', mime);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.send(bytes);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign for verification (assigneeId: a regulator; default the caller), optionally naming the enterprise: received → assigned' })
  assign(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: AssignReportDto, @Client() client: ClientInfo) {
    return this.triage.assign(p, id, body, client);
  }

  @Post(':id/enterprise')
  @HttpCode(200)
  @ApiOperation({ summary: 'Name the enterprise the report concerns (in scope); sets the report’s region' })
  enterprise(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: ReportEnterpriseDto, @Client() client: ClientInfo) {
    return this.triage.setEnterprise(p, id, body.enterpriseId, client);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the on-site verification (note): → verifying' })
  verify(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: VerifyReportDto, @Client() client: ClientInfo) {
    return this.triage.verify(p, id, body.note, client);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Close: outcome confirmed (查实) or unfounded (不实), with the reply the reporter reads',
    description:
      'confirmed takes article, item (判定标准) and optionally description and reward: it creates a hazard with source report (report_id = this report) and confirms it, in the transaction that closes the report; the report’s photos join the hazard. 409 no_enterprise until the enterprise is named; 409 report_closed when already closed.',
  })
  close(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: CloseReportDto, @Client() client: ClientInfo) {
    return this.triage.close(p, id, body, client);
  }

  @Post(':id/reward')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record the reward (yuan) for a report found true; 409 otherwise' })
  reward(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: RewardDto, @Client() client: ClientInfo) {
    return this.triage.reward(p, id, body.amount, body.note, client);
  }
}

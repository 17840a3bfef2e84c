import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import type { Response } from 'express';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { DecisionDto, MaintenanceListQueryDto, RejectDto, StartMaintenanceDto } from './maintenance.dto';
import { MaintenanceService } from './maintenance.service';

@ApiTags('maintenance')
@ApiBearerAuth()
@Controller()
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

  @Post('points/:id/maintenance')
  @HttpCode(200)
  @Audited('point.maintenance_start', 'point')
  @ApiOperation({
    summary: 'Start maintenance (检修) for 1–10080 minutes, or file a request for it',
    description:
      "Regulators and admins (audited), and enterprise users on points that are not mandatory: the window starts at once, the point's alarms that are not closed get `suppressed` (200). " +
      'An enterprise user on a mandatory point: a pending request (202, at most MAINTENANCE_REQUEST_MAX_MINUTES); nothing is suppressed until a regulator approves it.',
  })
  async start(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: StartMaintenanceDto, @Res({ passthrough: true }) res: Response) {
    const out = await this.maintenance.start(p, id, body);
    if (out.status === 'pending') res.status(202);
    return out;
  }

  @Delete('points/:id/maintenance')
  @HttpCode(200)
  @Audited('point.maintenance_end', 'point')
  @ApiOperation({ summary: 'End maintenance early: `unsuppressed`; 409 when not under maintenance' })
  end(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.maintenance.end(p, id);
  }

  @Get('maintenance-requests')
  @ApiOperation({ summary: '检修 requests and windows in scope, newest first; `status`, `active=true` (windows running now), `pointId`' })
  list(@CurrentPrincipal() p: Principal, @Query() q: MaintenanceListQueryDto) {
    return this.maintenance.list(p, q);
  }

  @Get('maintenance-requests/:id')
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.maintenance.get(p, id);
  }

  @Post('maintenance-requests/:id/approve')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @Audited('maintenance.approve', 'maintenance_request')
  @ApiOperation({ summary: 'Approve a pending request: the window starts now for the minutes asked; 409 when not pending' })
  approve(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: DecisionDto) {
    return this.maintenance.approve(p, id, body.note ?? null);
  }

  @Post('maintenance-requests/:id/reject')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @Audited('maintenance.reject', 'maintenance_request')
  @ApiOperation({ summary: 'Reject a pending request with a reason; 409 when not pending' })
  reject(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: RejectDto) {
    return this.maintenance.reject(p, id, body.note);
  }

  @Post('maintenance-requests/:id/cancel')
  @HttpCode(200)
  @Audited('maintenance.cancel', 'maintenance_request')
  @ApiOperation({ summary: 'Withdraw a pending request; 409 when not pending' })
  cancel(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.maintenance.cancel(p, id);
  }
}

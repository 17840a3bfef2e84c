import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { PageQueryDto } from '../http/paging.dto';
import { ReadingsQueryDto } from '../readings/readings.dto';
import { ReadingsService } from '../readings/readings.service';
import { CreatePointDto, MaintenanceDto, TemplatePointsDto, UpdatePointDto } from './points.dto';
import { CATEGORY_TEMPLATES, mandatorySetOf, type TemplateCategory } from '@sw/sensors';
import { PointsService } from './points.service';

@ApiTags('points')
@ApiBearerAuth()
@Controller()
export class PointsController {
  constructor(
    private readonly points: PointsService,
    private readonly readings: ReadingsService,
  ) {}

  @Post('gateways/:id/points')
  @Roles('admin', 'regulator')
  @Audited('point.create', 'point')
  @ApiOperation({ summary: 'Register a point: type from the catalog, unit, thresholds in that unit (checked: order, deadband, delays)' })
  create(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) gatewayId: string, @Body() body: CreatePointDto) {
    return this.points.create(p, gatewayId, body);
  }

  @Get('gateways/:id/points')
  @ApiOperation({ summary: "A gateway's points" })
  list(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) gatewayId: string, @Query() page: PageQueryDto) {
    return this.points.listOfGateway(p, gatewayId, page);
  }

  @Get('points/:id')
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.points.view(p, id);
  }

  @Post('enterprises/:id/template-points')
  @Roles('admin', 'regulator')
  @Audited('point.create_template', 'enterprise')
  @ApiOperation({
    summary: "Create the enterprise's mandatory set (必选) on one of its MQTT gateways",
    description: 'Body `{gatewayId}`. Points of the categories\' sets the gateway lacks by code are created, mandatory; existing codes are skipped. Answers `{created, skipped, mandatoryConnected}`.',
  })
  createTemplatePoints(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: TemplatePointsDto) {
    return this.points.createTemplatePoints(p, id, body.gatewayId);
  }

  @Get('point-templates')
  @ApiOperation({ summary: 'The mandatory indicator sets (必选) per risk category, with their sources; `categories=a,b` gives the combined set' })
  templates(@Query('categories') categories?: string) {
    if (categories) return { points: mandatorySetOf(categories.split(',')) };
    return { templates: Object.values(CATEGORY_TEMPLATES) as (typeof CATEGORY_TEMPLATES)[TemplateCategory][] };
  }

  @Patch('points/:id')
  @Roles('admin', 'regulator')
  @Audited('point.update', 'point')
  @ApiOperation({ summary: 'Change thresholds, register, name, location, mandatory or expectedIntervalS' })
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: UpdatePointDto) {
    return this.points.update(p, id, body);
  }

  @Delete('points/:id')
  @HttpCode(204)
  @Roles('admin', 'regulator')
  @Audited('point.delete', 'point')
  delete(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.points.delete(p, id);
  }

  @Post('points/:id/maintenance')
  @HttpCode(200)
  @Audited('point.maintenance_start', 'point')
  @ApiOperation({ summary: 'Start maintenance for 1–10080 minutes: the point\'s alarms that are not closed get `suppressed`' })
  startMaintenance(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: MaintenanceDto) {
    return this.points.startMaintenance(p, id, body);
  }

  @Delete('points/:id/maintenance')
  @HttpCode(200)
  @Audited('point.maintenance_end', 'point')
  @ApiOperation({ summary: 'End maintenance early: `unsuppressed`; 409 when not under maintenance' })
  endMaintenance(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.points.endMaintenance(p, id);
  }

  @Get('points/:id/readings')
  @ApiOperation({
    summary: "A point's readings from InfluxDB",
    description:
      'from/to default to the last 24 h. Raw: `{ts, value}` (at most READINGS_MAX_ROWS, then `truncated: true`); with `every` (`<n>s|m|h|d`): `{ts, mean, min, max, count}` per bucket, 400 when the span would aggregate more than READINGS_MAX_SCAN_ROWS readings. 429 beyond READINGS_BURST / READINGS_RATE_PER_MIN queries per user.',
  })
  async history(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Query() q: ReadingsQueryDto) {
    return this.readings.history(p, await this.points.get(p, id), q);
  }
}

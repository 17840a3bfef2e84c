import { Body, Controller, Get, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { Client, type ClientInfo, CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { CreateInspectorDto, PlanQueryDto, PutPlanDto, InspectorRegionQueryDto, UpdateInspectorDto } from './inspections.dto';
import { InspectorsService } from './inspectors.service';

/** The inspector pool (执法人员库) per region, with conflicts of interest: regulators and admins only. */
@ApiTags('inspections')
@ApiBearerAuth()
@Roles('admin', 'regulator')
@Controller('inspectors')
export class InspectorsController {
  constructor(private readonly inspectors: InspectorsService) {}

  @Get()
  @ApiOperation({ summary: 'Inspectors of a region (default the regulator’s own): those under the prefix and those whose region covers it' })
  list(@CurrentPrincipal() p: Principal, @Query() q: InspectorRegionQueryDto) {
    return this.inspectors.list(p, q.regionCode);
  }

  @Post()
  @ApiOperation({ summary: 'Add an inspector: region, name, certificate number (unique), active, relatedEnterpriseIds (never drawn for them)' })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateInspectorDto, @Client() client: ClientInfo) {
    return this.inspectors.create(p, body, client);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, active, or the related enterprises (replaces the list)' })
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: UpdateInspectorDto, @Client() client: ClientInfo) {
    return this.inspectors.update(p, id, body, client);
  }
}

/** Yearly inspection plans per region with target counts per risk level, and their progress. */
@ApiTags('inspections')
@ApiBearerAuth()
@Roles('admin', 'regulator')
@Controller('inspection-plans')
export class InspectionPlansController {
  constructor(private readonly inspectors: InspectorsService) {}

  @Get()
  @ApiOperation({ summary: 'Plans in scope (regionCode, year) with `done` per level: site inspections recorded that year by the enterprise’s latest level' })
  list(@CurrentPrincipal() p: Principal, @Query() q: PlanQueryDto) {
    return this.inspectors.plans(p, q.regionCode, q.year);
  }

  @Put()
  @ApiOperation({ summary: 'Create or replace the plan of a region and year: targets {red, orange, yellow, blue}' })
  put(@CurrentPrincipal() p: Principal, @Body() body: PutPlanDto, @Client() client: ClientInfo) {
    return this.inspectors.putPlan(p, body, client);
  }
}

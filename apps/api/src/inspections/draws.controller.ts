import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { Client, type ClientInfo, CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { DrawsService } from './draws.service';
import { CreateDrawDto, ListDrawsQueryDto } from './inspections.dto';

/** 双随机 draws: regulators and admins only (an enterprise user gets 403). */
@ApiTags('inspections')
@ApiBearerAuth()
@Roles('admin', 'regulator')
@Controller('draws')
export class DrawsController {
  constructor(private readonly draws: DrawsService) {}

  @Post()
  @ApiOperation({
    summary: 'Draw n enterprises of a region (weighted by risk level) and a team of m ≥ 2 inspectors each',
    description:
      'Candidates: the region’s enterprises that are not closed, weight by latest level (red 4, orange 3, yellow 2, blue 1; no grade counts as yellow); left out: inspected within excludeDays (default 30). Inspectors: active, not related to the enterprise. Stores seed, candidate list, pool and result; each drawn enterprise with a full team becomes a planned double_random inspection.',
  })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateDrawDto, @Client() client: ClientInfo) {
    return this.draws.create(p, body, client);
  }

  @Get()
  @ApiOperation({ summary: 'Draws in scope, newest first' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListDrawsQueryDto) {
    return this.draws.list(p, q.regionCode, { page: q.page, pageSize: q.pageSize });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One draw: seed, algorithm, candidate list with weights, pool, excluded, picks with teams and their inspections' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.draws.get(p, id);
  }

  @Post(':id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Recompute the draw from its stored seed and lists: {matches, stored, recomputed}' })
  replay(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.draws.replay(p, id);
  }
}

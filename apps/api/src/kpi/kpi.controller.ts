import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ConnectionKpiQueryDto } from './kpi.dto';
import { KpiService } from './kpi.service';

@ApiTags('kpi')
@ApiBearerAuth()
@Roles('admin', 'regulator')
@Controller('kpi')
export class KpiController {
  constructor(private readonly kpi: KpiService) {}

  @Get('connection')
  @ApiOperation({
    summary: 'Connection rate (接入率) and online rate (在线率) as of the end of an Asia/Shanghai day',
    description:
      'In scope per DOMAIN.md (policy dates, status history). Connected: a gateway delivered a valid reading before the end of asOf. ' +
      'Online: every mandatory point (or, with none, one point) reported within 3 × expectedIntervalS of the end of asOf — for today judged now from last_seen_at, for a past day from InfluxDB. ' +
      'Rates are rounded to 4 decimals, null for a zero denominator.',
  })
  connection(@CurrentPrincipal() p: Principal, @Query() q: ConnectionKpiQueryDto) {
    return this.kpi.connection(p, q);
  }
}

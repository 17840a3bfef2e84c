import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { AlarmLoadQueryDto, ConnectionKpiQueryDto, PeriodKpiQueryDto } from './kpi.dto';
import { KpiPeriodService } from './kpi-period.service';
import { KpiService } from './kpi.service';

@ApiTags('kpi')
@ApiBearerAuth()
@Roles('admin', 'regulator')
@Controller('kpi')
export class KpiController {
  constructor(
    private readonly kpi: KpiService,
    private readonly period: KpiPeriodService,
  ) {}

  @Get('connection')
  @ApiOperation({
    summary: 'Connection rate (接入率) and online rate (在线率) as of the end of an Asia/Shanghai day',
    description:
      'In scope as of the end of asOf (dust ≥ 30 workers from 2024-12-31; steel, deep-well casting, metal dust ≥ 10 from 2025-12-31; status history). ' +
      'Connected: the mandatory set is registered and every mandatory point reported within the last KPI_CONNECTION_WINDOW_DAYS days (default 7); pointConnectionRate = mandatory points reporting ÷ mandatory points. ' +
      'Online: every mandatory point (or, with none, one point) reported within 3 × expectedIntervalS of the end of asOf — for today judged now from last_seen_at, for a past day from InfluxDB. ' +
      'Dust enterprises with an unknown dust-worker count are counted apart (unknownDustWorkers, dataGaps), never as 0. Rates are rounded to 4 decimals, null for a zero denominator.',
  })
  connection(@CurrentPrincipal() p: Principal, @Query() q: ConnectionKpiQueryDto) {
    return this.kpi.connection(p, q);
  }

  @Get('online')
  @ApiOperation({
    summary: 'Online rate (在线率) over a period of Asia/Shanghai days (from, to included), time-weighted',
    description:
      'By data, not by gateway session: a point is online from each reading until 3 × expectedIntervalS passes without one; an enterprise while every mandatory point is (with none, one point). Per enterprise online time ÷ the time it counts (in the connection scope, connected, not suspended, day by day), averaged over the enterprises; overall, byDistrict, byCategory.',
  })
  online(@CurrentPrincipal() p: Principal, @Query() q: PeriodKpiQueryDto) {
    return this.period.online(p, q);
  }

  @Get('completeness')
  @ApiOperation({
    summary: 'Data completeness (数据完整率) over a period',
    description: 'Valid readings (quality not bad, from InfluxDB) of mandatory points ÷ readings expected (the time the enterprise counts while the point existed ÷ expectedIntervalS), each point capped at its expected count.',
  })
  completeness(@CurrentPrincipal() p: Principal, @Query() q: PeriodKpiQueryDto) {
    return this.period.completeness(p, q);
  }

  @Get('alarms')
  @ApiOperation({
    summary: 'Disposal rate (报警处置率), timely acknowledgement (及时响应率) and timely disposal (及时处置率) of the alarms raised in a period',
    description:
      'Acknowledgement: each tier the alarm reached (raise, reactivation, rise) is held to its own limit from the moment it reached it — red 5 min, orange 15 min, yellow 60 min; a tier whose limit ran out before the next rise without an acknowledgement makes the alarm late. ' +
      'Disposal: 24 h red/orange, 72 h yellow by the peak tier (first disposed event). Blue alarms count only in the disposal rate.',
  })
  alarms(@CurrentPrincipal() p: Principal, @Query() q: PeriodKpiQueryDto) {
    return this.period.alarms(p, q);
  }

  @Get('alarm-load')
  @ApiOperation({
    summary: 'ISA-18.2 alarm load over a period',
    description:
      'alarmsPer10Min: annunciations (raised + reactivated) per 10-minute window per duty officer (dutyOfficers, default 1); floodWindowRate: share of 10-minute windows with more than 10; stale: active > 24 h at the period end; chattering: ≥ 3 activations within one minute.',
  })
  alarmLoad(@CurrentPrincipal() p: Principal, @Query() q: AlarmLoadQueryDto) {
    return this.period.alarmLoad(p, q);
  }
}

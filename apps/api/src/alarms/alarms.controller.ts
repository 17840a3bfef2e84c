import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AlarmsRepository, type Principal, scopeOf } from '@sw/persistence';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { AlarmActionsService } from './alarm-actions.service';
import { AckDto, CloseDto, CommentDto, DisposeDto, ListAlarmsQueryDto, ShelveDto } from './alarms.dto';

@ApiTags('alarms')
@ApiBearerAuth()
@Controller('alarms')
export class AlarmsController {
  constructor(
    private readonly actions: AlarmActionsService,
    private readonly alarms: AlarmsRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Alarms in scope, newest first', description: 'condition, tier, stage and kind take one value or several separated by commas; from/to bound raisedAt.' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListAlarmsQueryDto) {
    const { page, pageSize, regionCode, ...filter } = q;
    return this.alarms.list(scopeOf(p), { ...filter, ...(regionCode && { regionPrefix: regionCode }) }, { page, pageSize });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One alarm with its events[] (docs/contracts.md §3 event objects)' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.actions.get(p, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Audited('alarm.ack', 'alarm')
  @ApiOperation({ summary: 'Acknowledge; a repeated ack answers 200 and writes nothing; 409 when closed' })
  ack(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: AckDto) {
    return this.actions.ack(p, id, body);
  }

  @Post(':id/dispose')
  @HttpCode(200)
  @Audited('alarm.dispose', 'alarm')
  @ApiOperation({ summary: 'Record the disposal (处置): cause and measures; acknowledges first if needed; 409 unless stage open' })
  dispose(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: DisposeDto) {
    return this.actions.dispose(p, id, body);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @Audited('alarm.close', 'alarm')
  @ApiOperation({ summary: 'Close the loop; 409 unless cleared and disposed' })
  close(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: CloseDto) {
    return this.actions.close(p, id, body);
  }

  @Post(':id/shelve')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @Audited('alarm.shelve', 'alarm')
  @ApiOperation({ summary: 'Shelve for 1–1440 minutes: no notifications or escalation meanwhile; 409 when closed' })
  shelve(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: ShelveDto) {
    return this.actions.shelve(p, id, body);
  }

  @Post(':id/unshelve')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @Audited('alarm.unshelve', 'alarm')
  @ApiOperation({ summary: 'End a shelf early; 409 when not shelved' })
  unshelve(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.actions.unshelve(p, id);
  }

  @Post(':id/comments')
  @Audited('alarm.comment', 'alarm')
  @ApiOperation({ summary: 'Add a comment to the timeline (201 with the alarm)' })
  comment(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: CommentDto) {
    return this.actions.comment(p, id, body);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { DecidePersonnelChangeDto, SubmitPersonnelChangeDto } from './enterprises.dto';
import { EnterprisesService } from './enterprises.service';

/** Personnel changes (主要负责人, 实际控制人, 安全管理人员): the enterprise reports, a regulator accepts. */
@ApiTags('enterprises')
@ApiBearerAuth()
@Controller()
export class PersonnelChangesController {
  constructor(private readonly enterprises: EnterprisesService) {}

  @Post('enterprises/:id/personnel-changes')
  @Roles('enterprise')
  @Audited('enterprise.personnel.submit', 'enterprise')
  @ApiOperation({ summary: 'Report a change of 主要负责人, 实际控制人 or 安全管理人员 (enterprise user); it applies when a regulator accepts it' })
  submit(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: SubmitPersonnelChangeDto) {
    return this.enterprises.submitPersonnelChange(p, id, body);
  }

  @Get('enterprises/:id/personnel-changes')
  @ApiOperation({ summary: 'The personnel change requests of an enterprise, newest first' })
  list(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.enterprises.personnelChanges(p, id);
  }

  @Post('personnel-changes/:id/accept')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @Audited('enterprise.personnel.accept', 'personnel_change')
  @ApiOperation({ summary: 'Accept a pending personnel change: the role changes as of its date, the previous holder stays in the history' })
  accept(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: DecidePersonnelChangeDto) {
    return this.enterprises.decidePersonnelChange(p, id, true, body.reason ?? null);
  }

  @Post('personnel-changes/:id/reject')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @Audited('enterprise.personnel.reject', 'personnel_change')
  @ApiOperation({ summary: 'Reject a pending personnel change, with a reason' })
  reject(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: DecidePersonnelChangeDto) {
    return this.enterprises.decidePersonnelChange(p, id, false, body.reason ?? null);
  }
}

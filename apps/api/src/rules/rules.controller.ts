import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { PageQueryDto } from '../http/paging.dto';
import { RuleDto } from './rules.dto';
import { RulesService } from './rules.service';

const RULE_FORMAT = `Body: {name, scope, definition, enabled?}.
scope: {type:"point", pointId} | {type:"enterprise", enterpriseId, pointType} | {type:"region", regionCode, pointType}.
definition: a libs/rules definition without id and pointId (the scope supplies them), e.g.
{"kind":"rate","direction":"drop","percent":30,"withinS":10,"tier":"red"},
{"kind":"threshold","thresholds":{"high":{"yellow":24,"orange":48,"red":160}},"sustained":[{"fromTier":"orange","toTier":"red","forS":900}]},
{"kind":"combined","op":"and","conditions":[{"value":{"point":"<subject>"},"op":"<=","setpoint":10},{"value":{"point":"<casting_active>"},"op":">=","setpoint":1}],"tier":"red"} (point scope only; the subject first),
optionally "gate": {"pointId", "value"} and "onDelayS"/"offDelayS".`;

@ApiTags('rules')
@ApiBearerAuth()
@Controller('rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @ApiOperation({ summary: 'Rules in scope (including region rules that reach into it), newest first' })
  list(@CurrentPrincipal() p: Principal, @Query() page: PageQueryDto) {
    return this.rules.list(p, page);
  }

  @Post()
  @Roles('admin', 'regulator')
  @Audited('rule.create', 'rule')
  @ApiOperation({ summary: 'Create a rule', description: RULE_FORMAT })
  create(@CurrentPrincipal() p: Principal, @Body() body: RuleDto) {
    return this.rules.create(p, body);
  }

  @Get(':id')
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.rules.get(p, id);
  }

  @Put(':id')
  @Roles('admin', 'regulator')
  @Audited('rule.replace', 'rule')
  @ApiOperation({ summary: 'Replace a rule', description: RULE_FORMAT })
  replace(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: RuleDto) {
    return this.rules.replace(p, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin', 'regulator')
  @Audited('rule.delete', 'rule')
  delete(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.rules.delete(p, id);
  }
}

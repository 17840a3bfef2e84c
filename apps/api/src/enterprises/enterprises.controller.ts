import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { CreateEnterpriseDto, ListEnterprisesQueryDto, UpdateEnterpriseDto } from './enterprises.dto';
import { EnterprisesService } from './enterprises.service';

@ApiTags('enterprises')
@ApiBearerAuth()
@Controller('enterprises')
export class EnterprisesController {
  constructor(private readonly enterprises: EnterprisesService) {}

  @Post()
  @Roles('admin', 'regulator')
  @Audited('enterprise.create', 'enterprise')
  @ApiOperation({ summary: 'Register an enterprise (a regulator: inside its region)' })
  create(@CurrentPrincipal() p: Principal, @Body() body: CreateEnterpriseDto) {
    return this.enterprises.create(p, body);
  }

  @Get()
  @ApiOperation({ summary: 'Enterprises in scope, by name; filters: regionCode prefix, status, category, q (name or uscc)' })
  list(@CurrentPrincipal() p: Principal, @Query() q: ListEnterprisesQueryDto) {
    const { page, pageSize, regionCode, ...filter } = q;
    return this.enterprises.list(p, { ...filter, ...(regionCode && { regionPrefix: regionCode }) }, { page, pageSize });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One enterprise with its status history' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.enterprises.getWithHistory(p, id);
  }

  @Patch(':id')
  @Audited('enterprise.update', 'enterprise')
  @ApiOperation({
    summary: 'Change an enterprise',
    description: '`{status, effectiveDate?}` is kept as history (effectiveDate: an Asia/Shanghai day, not after today). An enterprise user may change only name and employees.',
  })
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: UpdateEnterpriseDto) {
    return this.enterprises.update(p, id, body);
  }
}

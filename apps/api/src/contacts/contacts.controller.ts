import { BadRequestException, Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { DutyOfficersDto, EnterpriseContactsDto, IndustryDepartmentsDto } from './contacts.dto';
import { ContactsService } from './contacts.service';

/** A district (6 digits) or city (4 digits; `320500` is read as `3205`). */
function regionOf(code: string): string {
  if (/^\d{4}00$/.test(code) && !code.endsWith('0000')) return code.slice(0, 4);
  if (/^\d{6}$/.test(code) && !code.endsWith('00')) return code;
  if (/^\d{4}$/.test(code) && !code.endsWith('00')) return code;
  throw new BadRequestException('code must be a district (6 digits) or city (4 digits, or 6 ending in 00) region code');
}

@ApiTags('contacts')
@ApiBearerAuth()
@Controller()
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get('enterprises/:id/contacts')
  @ApiOperation({ summary: 'Whom alarm notifications of the enterprise reach: its safety officer and principal (phone, WeCom robot, WeChat openid)' })
  get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.contacts.enterpriseContacts(p, id);
  }

  @Put('enterprises/:id/contacts')
  @Audited('enterprise.contacts.replace', 'enterprise')
  @ApiOperation({ summary: 'Replace the enterprise\'s notification contacts (null removes one)' })
  put(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: EnterpriseContactsDto) {
    return this.contacts.replaceEnterpriseContacts(p, id, body);
  }

  @Get('regions/:code/duty-officers')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'The duty officers of a district or city, notified by the escalation policy (docs/domain.md)' })
  duty(@CurrentPrincipal() p: Principal, @Param('code') code: string) {
    return this.contacts.dutyOfficers(p, regionOf(code));
  }

  @Put('regions/:code/duty-officers')
  @Roles('admin', 'regulator')
  @Audited('region.duty_officers.replace', 'region')
  @ApiOperation({ summary: 'Replace the duty officers of a district or city, in order' })
  putDuty(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() body: DutyOfficersDto) {
    return this.contacts.replaceDutyOfficers(p, regionOf(code), body.officers);
  }

  @Get('regions/:code/industry-departments')
  @Roles('admin', 'regulator')
  @ApiOperation({ summary: 'The 行业管理部门 of a district or city, one per risk category: told of every confirmed major hazard of that category (a district row wins over the city\'s)' })
  industry(@CurrentPrincipal() p: Principal, @Param('code') code: string) {
    return this.contacts.industryDepartments(p, regionOf(code));
  }

  @Put('regions/:code/industry-departments')
  @Roles('admin', 'regulator')
  @Audited('region.industry_departments.replace', 'region')
  @ApiOperation({ summary: 'Replace the 行业管理部门 of a district or city (department, contact person, phone / WeCom robot / WeChat openid per risk category)' })
  putIndustry(@CurrentPrincipal() p: Principal, @Param('code') code: string, @Body() body: IndustryDepartmentsDto) {
    return this.contacts.replaceIndustryDepartments(p, regionOf(code), body.departments);
  }
}

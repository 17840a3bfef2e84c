import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@sw/persistence';
import { Audited } from '../audit/audited.decorator';
import { CurrentPrincipal, Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { PageQueryDto } from '../http/paging.dto';
import { CreateGatewayDto, gatewayView, UpdateGatewayDto } from './gateways.dto';
import { GatewaysService } from './gateways.service';

@ApiTags('gateways')
@ApiBearerAuth()
@Controller()
export class GatewaysController {
  constructor(private readonly gateways: GatewaysService) {}

  @Post('enterprises/:id/gateways')
  @Roles('admin', 'regulator')
  @Audited('gateway.create', 'gateway')
  @ApiOperation({ summary: 'Register a gateway', description: 'An `mqtt` gateway\'s 201 answer carries `mqtt: {username, password}`: the only time the password is shown.' })
  create(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) enterpriseId: string, @Body() body: CreateGatewayDto) {
    return this.gateways.create(p, enterpriseId, body);
  }

  @Get('enterprises/:id/gateways')
  @ApiOperation({ summary: "An enterprise's gateways" })
  list(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) enterpriseId: string, @Query() page: PageQueryDto) {
    return this.gateways.listOfEnterprise(p, enterpriseId, page);
  }

  @Post('gateways/:id/credentials')
  @HttpCode(200)
  @Roles('admin', 'regulator')
  @Audited('gateway.rotate_credentials', 'gateway')
  @ApiOperation({ summary: 'Issue a new MQTT secret; the old one stops working' })
  rotate(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.gateways.rotateCredentials(p, id);
  }

  @Get('gateways/:id')
  async get(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return gatewayView(await this.gateways.get(p, id));
  }

  @Patch('gateways/:id')
  @Roles('admin', 'regulator')
  @Audited('gateway.update', 'gateway')
  @ApiOperation({ summary: "Change a modbus-tcp gateway's Modbus settings" })
  update(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string, @Body() body: UpdateGatewayDto) {
    return this.gateways.update(p, id, body);
  }

  @Delete('gateways/:id')
  @HttpCode(204)
  @Roles('admin', 'regulator')
  @Audited('gateway.delete', 'gateway')
  @ApiOperation({ summary: 'Delete a gateway and its points (alarms keep their history)' })
  delete(@CurrentPrincipal() p: Principal, @Param('id', ParseIdPipe) id: string) {
    return this.gateways.delete(p, id);
  }
}

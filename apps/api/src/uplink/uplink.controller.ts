import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorator';
import { UplinkService } from './uplink.service';

@ApiTags('uplink')
@ApiBearerAuth()
@Roles('admin', 'regulator')
@Controller('uplink')
export class UplinkController {
  constructor(private readonly uplink: UplinkService) {}

  @Get('status')
  @ApiOperation({
    summary: 'The forwarding to the provincial platform (上报): backlog, lag, last success, last failure',
    description:
      'Read from the uplink outbox in PostgreSQL (written by apps/uplink, docs/contracts.md §6). enabled=false: no uplink has run against this platform (UPLINK_ENDPOINT not set). ' +
      'backlog = messages the province has not confirmed yet (by type); lagSeconds = age of the oldest of them (0 when none); failures = refused or failed batch requests so far. ' +
      'One figure for the whole platform: the uplink forwards every enterprise.',
  })
  status() {
    return this.uplink.status();
  }
}

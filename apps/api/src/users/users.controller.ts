import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UsersRepository } from '@sw/persistence';
import { Audited } from '../audit/audited.decorator';
import { Roles } from '../auth/auth.decorator';
import { ParseIdPipe } from '../http/id.pipe';
import { PageQueryDto } from '../http/paging.dto';
import { ChangeRoleDto, CreateUserDto, ResetPasswordDto } from './users.dto';
import { UsersService } from './users.service';

const REVOKES = 'Every token the user holds stops working at once and their live-feed sockets close (4401).';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersRepository,
    private readonly admin: UsersService,
  ) {}

  @Post()
  @Audited('user.create', 'user')
  @ApiOperation({
    summary: 'Create a user',
    description: 'role `admin`; `regulator` with regionCode, a prefix of 2, 4 or 6 digits (trailing 00 pairs dropped: 320500 = 3205); `enterprise` with enterpriseId.',
  })
  create(@Body() body: CreateUserDto) {
    return this.users.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'Users by username (never their password hashes)' })
  list(@Query() page: PageQueryDto) {
    return this.users.list(page);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Audited('user.disable', 'user')
  @ApiOperation({ summary: 'Disable a user', description: `The user can no longer log in. ${REVOKES} The last enabled admin cannot be disabled (409).` })
  disable(@Param('id', ParseIdPipe) id: string) {
    return this.admin.setDisabled(id, true);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Audited('user.enable', 'user')
  @ApiOperation({ summary: 'Enable a disabled user', description: 'The user logs in again; tokens issued before the disable stay dead.' })
  enable(@Param('id', ParseIdPipe) id: string) {
    return this.admin.setDisabled(id, false);
  }

  @Put(':id/role')
  @Audited('user.role', 'user')
  @ApiOperation({
    summary: "Change a user's role and scope",
    description: `Same rules as creating: \`regulator\` with regionCode, \`enterprise\` with enterpriseId, \`admin\` neither. ${REVOKES} The last enabled admin keeps the role (409).`,
  })
  changeRole(@Param('id', ParseIdPipe) id: string, @Body() body: ChangeRoleDto) {
    return this.admin.changeRole(id, body);
  }

  @Post(':id/password')
  @HttpCode(200)
  @Audited('user.password_reset', 'user')
  @ApiOperation({ summary: "Reset a user's password", description: `At least 10 characters; the password is never recorded. ${REVOKES}` })
  resetPassword(@Param('id', ParseIdPipe) id: string, @Body() body: ResetPasswordDto) {
    return this.admin.resetPassword(id, body);
  }
}

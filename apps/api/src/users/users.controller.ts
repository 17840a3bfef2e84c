import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UsersRepository } from '@sw/persistence';
import { Audited } from '../audit/audited.decorator';
import { Roles } from '../auth/auth.decorator';
import { PageQueryDto } from '../http/paging.dto';
import { CreateUserDto } from './users.dto';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersRepository) {}

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
}

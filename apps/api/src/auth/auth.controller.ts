import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Audited } from '../audit/audited.decorator';
import { Public } from './auth.decorator';
import { TokenRequestDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('token')
  @Public()
  @HttpCode(200)
  @Audited('auth.token', 'user', { publicFields: ['username'] })
  @ApiOperation({
    summary: 'Exchange a username and password for an access token',
    description: 'Answers `{accessToken, expiresIn}` (seconds). Repeated failures for one username from one IP answer 429 with a growing wait.',
  })
  token(@Body() body: TokenRequestDto, @Req() req: Request) {
    return this.auth.login(body.username, body.password, req.ip ?? 'unknown');
  }
}

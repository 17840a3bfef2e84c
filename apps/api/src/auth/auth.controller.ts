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
    description:
      'Answers `{accessToken, expiresIn}` (seconds). Failures are counted per username and IP, per IP and for everyone (shared by every api process); past a limit the answer is 429 with Retry-After and a growing wait. Disabled users answer 401 like a wrong password.',
  })
  token(@Body() body: TokenRequestDto, @Req() req: Request) {
    return this.auth.login(body.username, body.password, req.ip ?? 'unknown');
  }
}

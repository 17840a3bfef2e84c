import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { JwtAuthGuard } from './jwt-auth.guard';
import { LoginThrottle } from './login-throttle.service';
import { TokenService } from './token.service';
import { UserStateService } from './user-state.service';

@Module({
  imports: [JwtModule.register({})],
  controllers: [AuthController],
  providers: [
    TokenService,
    AuthService,
    AdminBootstrapService,
    LoginThrottle,
    UserStateService,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [TokenService, UserStateService],
})
export class AuthModule {}

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { jwtStrategyProviders } from './jwt.strategy.js';
import { OneTimeTokensRepository } from './one-time-tokens.repository.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPolicy } from './password-policy.js';
import { SessionsRepository } from './sessions.repository.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [UsersModule, PassportModule, JwtModule.register({})],
  controllers: [AuthController],
  providers: [
    AuthService,
    TokenService,
    ...jwtStrategyProviders,
    PasswordHasher,
    PasswordPolicy,
    SessionsRepository,
    OneTimeTokensRepository,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [PasswordHasher, PasswordPolicy, SessionsRepository, OneTimeTokensRepository],
})
export class AuthModule {}

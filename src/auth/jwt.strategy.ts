import { FactoryProvider, OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { JwtPayload } from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import passport from 'passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthUser } from '../common/decorators/current-user.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { UsersRepository } from '../users/users.repository.js';
import { ACCESS_TOKEN_TYPE, JWT_ALGORITHM, TokenService } from './token.service.js';

interface CompleteJwt {
  header: { typ?: string };
  payload: JwtPayload;
}

/**
 * The passport name of this app's JWT strategy. Passport keeps strategies in a process-wide
 * registry, so each app instance registers its own name: two apps in one process (the tests
 * run several) never check tokens with each other's secret or database.
 */
export const JWT_STRATEGY_NAME = 'JWT_STRATEGY_NAME';
export const JWT_STRATEGY = 'JWT_STRATEGY';

function jwtStrategyClass(name: string) {
  /**
   * Accepts an access token only with the pinned algorithm, issuer, audience and `typ`, and only
   * while its session is alive: logout and revocation take effect on the next request. The same
   * query reads the account, so that GET /accounts/me costs one statement.
   */
  return class JwtStrategy extends PassportStrategy(Strategy, name) implements OnModuleDestroy {
    constructor(
      config: AppConfig,
      tokens: TokenService,
      private readonly users: UsersRepository,
    ) {
      super({
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKey: tokens.accessKey as unknown as string,
        algorithms: [JWT_ALGORITHM],
        issuer: config.jwt.issuer,
        audience: config.jwt.audience,
        ignoreExpiration: false,
        jsonWebTokenOptions: { complete: true, clockTolerance: 0 },
      });
    }

    async validate(jwt: CompleteJwt): Promise<AuthUser | false> {
      const { header, payload } = jwt;
      if (header.typ !== ACCESS_TOKEN_TYPE) return false;
      const { sub, sid } = payload as { sub?: unknown; sid?: unknown };
      if (typeof sub !== 'string' || typeof sid !== 'string') return false;
      const account = await this.users.findBySession(sid, sub);
      return account ? { userId: sub, sessionId: sid, account } : false;
    }

    onModuleDestroy(): void {
      passport.unuse(name);
    }
  };
}

export const jwtStrategyProviders: FactoryProvider[] = [
  { provide: JWT_STRATEGY_NAME, useFactory: () => `jwt-${randomUUID()}` },
  {
    provide: JWT_STRATEGY,
    inject: [JWT_STRATEGY_NAME, AppConfig, TokenService, UsersRepository],
    useFactory: (name: string, config: AppConfig, tokens: TokenService, users: UsersRepository) =>
      new (jwtStrategyClass(name))(config, tokens, users),
  },
];

import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from '../common/decorators/public.decorator.js';
import { DomainException } from '../common/errors/domain.exception.js';
import { JWT_STRATEGY, JWT_STRATEGY_NAME } from './jwt.strategy.js';

/** The global guard: every route needs a live access token unless marked `@Public()`. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly passportGuard: CanActivate;

  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_STRATEGY_NAME) strategyName: string,
    @Inject(JWT_STRATEGY) _strategy: unknown, // registered with passport before the first request
  ) {
    this.passportGuard = new (class extends AuthGuard(strategyName) {
      override handleRequest<T>(err: unknown, user: T): T {
        // rethrown as it came (a database outage must stay a 503, not become a 401)
        if (err)
          throw err instanceof Error ? err : new Error('authentication failed', { cause: err });
        if (!user) throw new DomainException('UNAUTHORIZED', 'A valid access token is required.');
        return user;
      }
    })();
  }

  canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : this.passportGuard.canActivate(context);
  }
}

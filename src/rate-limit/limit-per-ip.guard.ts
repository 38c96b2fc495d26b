import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RateLimits } from './rate-limits.service.js';

/** Counts the request against RATE_LIMIT_AUTH_PER_IP (client IP per TRUST_PROXY). */
@Injectable()
export class LimitPerIpGuard implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    await this.limits.consumeAuthRequest(request.ip);
    return true;
  }
}

/** Marks a public auth or confirmation route as limited per client IP. */
export const LimitPerIp = () => applyDecorators(UseGuards(LimitPerIpGuard));

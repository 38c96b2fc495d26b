import { Global, Module } from '@nestjs/common';
import { LimitPerIpGuard } from './limit-per-ip.guard.js';
import { RateLimits } from './rate-limits.service.js';

@Global()
@Module({ providers: [RateLimits, LimitPerIpGuard], exports: [RateLimits, LimitPerIpGuard] })
export class RateLimitModule {}

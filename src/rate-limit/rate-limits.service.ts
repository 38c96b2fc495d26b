import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { sha256 } from '../common/crypto.js';
import { DomainException } from '../common/errors/domain.exception.js';
import { AppConfig } from '../config/app-config.js';

/** The kinds of mail a submitted address can be sent; each has its own hourly budget. */
export type MailKind = 'register' | 'verify' | 'reset' | 'change_email' | 'delete';

const MINUTE = 60;
const LOGIN_WINDOW = 15 * MINUTE;
const HOUR = 60 * MINUTE;

/**
 * The contract's rate limits, on rate-limiter-flexible: per client IP on the public auth routes,
 * per account on login attempts, per submitted address on mails. With REDIS_URL the counters are
 * shared by every instance; when Redis cannot be reached each instance falls back to its own
 * in-memory counters (the "insurance" limiter) and logs it: never no limit.
 * Keys are hashes: addresses never reach Redis in clear.
 */
@Injectable()
export class RateLimits implements OnApplicationShutdown {
  private readonly logger = new Logger('RateLimits');
  private readonly redis?: Redis;
  private readonly authPerIp?: RateLimiterAbstract;
  private readonly loginPerAccount?: RateLimiterAbstract;
  private readonly mailPerAddress?: RateLimiterAbstract;
  private redisDown = false;

  constructor(config: AppConfig) {
    const { authPerIp, loginPerAccount, mailPerAddress } = config.rateLimit;
    if (config.redisUrl && (authPerIp || loginPerAccount || mailPerAddress)) {
      this.redis = new Redis(config.redisUrl, {
        enableOfflineQueue: false, // fail fast while Redis is down; the insurance limiter answers
        maxRetriesPerRequest: 1,
        connectTimeout: 2_000,
        lazyConnect: false,
      });
      this.redis.on('error', (error: Error) => {
        if (!this.redisDown)
          this.logger.error(`Redis unreachable, using in-process rate limits: ${error.message}`);
        this.redisDown = true;
      });
      this.redis.on('ready', () => {
        if (this.redisDown) this.logger.log('Redis reachable again, rate limits are shared');
        this.redisDown = false;
      });
    }
    this.authPerIp = this.limiter('auth-ip', authPerIp, MINUTE);
    this.loginPerAccount = this.limiter('login-account', loginPerAccount, LOGIN_WINDOW);
    this.mailPerAddress = this.limiter('mail-address', mailPerAddress, HOUR);
  }

  private limiter(name: string, points: number, duration: number): RateLimiterAbstract | undefined {
    if (points === 0) return undefined; // RATE_LIMIT_*=0 turns the limit off
    const memory = new RateLimiterMemory({ keyPrefix: name, points, duration });
    if (!this.redis) return memory;
    return new RateLimiterRedis({
      storeClient: this.redis,
      keyPrefix: `rl:${name}`,
      points,
      duration,
      insuranceLimiter: memory,
    });
  }

  /** One request from `ip` to a public auth or confirmation route. */
  consumeAuthRequest(ip: string): Promise<void> {
    return this.consume(this.authPerIp, ip);
  }

  /**
   * One login attempt for `email`, counted before the password is checked, so that parallel
   * guesses cannot slip past the limit. A successful login clears the count.
   */
  consumeLoginAttempt(email: string): Promise<void> {
    return this.consume(this.loginPerAccount, sha256(email));
  }

  async clearLoginAttempts(email: string): Promise<void> {
    await this.loginPerAccount?.delete(sha256(email)).catch(() => undefined);
  }

  /** One request that would mail `email` a message of this kind, whether or not it has an account. */
  consumeMail(kind: MailKind, email: string): Promise<void> {
    return this.consume(this.mailPerAddress, `${kind}:${sha256(email)}`);
  }

  private async consume(limiter: RateLimiterAbstract | undefined, key: string): Promise<void> {
    if (!limiter) return;
    try {
      await limiter.consume(key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new DomainException(
        'RATE_LIMITED',
        `Too many requests; try again in ${retryAfter} s.`,
        undefined,
        {
          'retry-after': String(retryAfter),
        },
      );
    }
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}

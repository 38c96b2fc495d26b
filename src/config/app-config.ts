import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseDuration } from './duration.js';

/** A start-up configuration error; its message is one line that names the variable. */
export class ConfigError extends Error {}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a duration such as 900, 30s, 15m, 24h or 30d`,
        });
        return z.NEVER;
      }
      return ms;
    });

const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.join(' or ')}//` },
  );

const baseUrl = url(['http:', 'https:']).transform((v) => v.replace(/\/+$/, ''));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(3000, 0, 65535),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres:', 'postgresql:', 'pglite:']).default('pglite://.data/pglite'),
  DATABASE_POOL_SIZE: int(10, 1, 200),
  REDIS_URL: url(['redis:', 'rediss:']).optional(),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().min(3).default('no-reply@localhost'),
  MAIL_MAX_ATTEMPTS: int(8, 1, 100),
  MAIL_RETRY_DELAY: duration('5s'),
  MAIL_POLL_INTERVAL: duration('2s'),
  PUBLIC_URL: baseUrl.optional(),
  FRONTEND_URL: baseUrl.optional(),
  CORS_ORIGINS: z.string().optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL: duration('15m'),
  REFRESH_TOKEN_TTL: duration('30d'),
  VERIFY_EMAIL_TTL: duration('24h'),
  RESET_PASSWORD_TTL: duration('1h'),
  CHANGE_EMAIL_TTL: duration('24h'),
  DELETE_ACCOUNT_TTL: duration('1h'),
  REFRESH_REUSE_GRACE: duration('10s'),
  PASSWORD_MIN_LENGTH: int(8, 1, 256),
  ARGON2_MEMORY_KIB: int(19456, 19456, 4_194_304),
  ARGON2_TIME_COST: int(2, 2, 100),
  ARGON2_PARALLELISM: int(1, 1, 64),
  RATE_LIMIT_AUTH_PER_IP: int(30, 0, 1_000_000),
  RATE_LIMIT_LOGIN_PER_ACCOUNT: int(10, 0, 1_000_000),
  RATE_LIMIT_MAIL_PER_ADDRESS: int(5, 0, 1_000_000),
  TRUST_PROXY: bool,
});

export type Env = Record<string, string | undefined>;

function buildConfig(env: z.infer<typeof schema>) {
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const frontendUrl = env.FRONTEND_URL ?? publicUrl;
  const production = env.NODE_ENV === 'production';
  if (production && !env.JWT_SECRET) {
    throw new ConfigError('JWT_SECRET: required when NODE_ENV=production');
  }
  const database: DatabaseConfig = env.DATABASE_URL.startsWith('pglite:')
    ? { kind: 'pglite', dataDir: pgliteDir(env.DATABASE_URL) }
    : { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
  const corsOrigins = (env.CORS_ORIGINS ?? new URL(frontendUrl).origin)
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!URL.canParse(origin)) throw new ConfigError(`CORS_ORIGINS: "${origin}" is not an origin`);
  }
  return {
    env: env.NODE_ENV,
    production,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database,
    redisUrl: env.REDIS_URL,
    publicUrl,
    frontendUrl,
    corsOrigins,
    trustProxy: env.TRUST_PROXY,
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      maxAttempts: env.MAIL_MAX_ATTEMPTS,
      retryDelayMs: env.MAIL_RETRY_DELAY,
      pollIntervalMs: env.MAIL_POLL_INTERVAL,
    },
    jwt: {
      secret: env.JWT_SECRET ?? randomBytes(32).toString('base64url'),
      secretIsGenerated: !env.JWT_SECRET,
      accessTtlMs: env.ACCESS_TOKEN_TTL,
      refreshTtlMs: env.REFRESH_TOKEN_TTL,
      refreshReuseGraceMs: env.REFRESH_REUSE_GRACE,
      issuer: publicUrl,
      audience: `${publicUrl}/api/v1`,
    },
    tokenTtlMs: {
      verify_email: env.VERIFY_EMAIL_TTL,
      reset_password: env.RESET_PASSWORD_TTL,
      change_email: env.CHANGE_EMAIL_TTL,
      delete_account: env.DELETE_ACCOUNT_TTL,
    },
    password: {
      minLength: env.PASSWORD_MIN_LENGTH,
      maxLength: 256,
      argon2: {
        memoryCost: env.ARGON2_MEMORY_KIB,
        timeCost: env.ARGON2_TIME_COST,
        parallelism: env.ARGON2_PARALLELISM,
      },
    },
    rateLimit: {
      authPerIp: env.RATE_LIMIT_AUTH_PER_IP,
      loginPerAccount: env.RATE_LIMIT_LOGIN_PER_ACCOUNT,
      mailPerAddress: env.RATE_LIMIT_MAIL_PER_ADDRESS,
    },
  };
}

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string | undefined }
  | { kind: 'postgres'; url: string; poolSize: number };

function pgliteDir(databaseUrl: string): string | undefined {
  const dir = decodeURIComponent(databaseUrl.slice('pglite://'.length));
  if (!dir) throw new ConfigError('DATABASE_URL: pglite:// needs a directory, or pglite://memory');
  return dir === 'memory' ? undefined : dir;
}

/**
 * Validated, typed configuration of the whole service, injected by its class. Its fields are
 * declared by the interface of the same name below (the shape `buildConfig` returns).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class AppConfig {
  static parse(env: Env): AppConfig {
    const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
    const result = schema.safeParse(blanksRemoved);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
    }
    return Object.assign(new AppConfig(), buildConfig(result.data));
  }
}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface AppConfig extends ReturnType<typeof buildConfig> {}

import { AppConfig, ConfigError } from './app-config.js';

describe('AppConfig', () => {
  it('has the defaults of the contract', () => {
    const config = AppConfig.parse({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data/pglite' });
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.frontendUrl).toBe('http://localhost:3000');
    expect(config.corsOrigins).toEqual(['http://localhost:3000']);
    expect(config.redisUrl).toBeUndefined();
    expect(config.mail.smtpUrl).toBeUndefined();
    expect(config.mail.from).toBe('no-reply@localhost');
    expect(config.jwt.accessTtlMs).toBe(15 * 60_000);
    expect(config.jwt.refreshTtlMs).toBe(30 * 86_400_000);
    expect(config.jwt.refreshReuseGraceMs).toBe(10_000);
    expect(config.jwt.secretIsGenerated).toBe(true);
    expect(config.tokenTtlMs).toEqual({
      verify_email: 86_400_000,
      reset_password: 3_600_000,
      change_email: 86_400_000,
      delete_account: 3_600_000,
    });
    expect(config.password.minLength).toBe(8);
    expect(config.password.argon2).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(config.rateLimit).toEqual({ authPerIp: 30, loginPerAccount: 10, mailPerAddress: 5 });
    expect(config.trustProxy).toBe(false);
  });

  it('derives PUBLIC_URL from PORT, FRONTEND_URL from PUBLIC_URL and CORS from FRONTEND_URL', () => {
    expect(AppConfig.parse({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    const config = AppConfig.parse({
      PUBLIC_URL: 'https://api.example.com/',
      FRONTEND_URL: 'https://app.example.com/x',
    });
    expect(config.publicUrl).toBe('https://api.example.com');
    expect(config.corsOrigins).toEqual(['https://app.example.com']);
    expect(
      AppConfig.parse({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins,
    ).toEqual(['https://a.example', 'https://b.example']);
    expect(AppConfig.parse({ DATABASE_URL: 'pglite://memory' }).database).toEqual({
      kind: 'pglite',
      dataDir: undefined,
    });
    expect(AppConfig.parse({ DATABASE_URL: 'postgres://u:p@db:5432/x' }).database).toMatchObject({
      kind: 'postgres',
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['DATABASE_URL', 'mysql://x'],
    ['SMTP_URL', 'notaurl'],
    ['REDIS_URL', 'http://x'],
    ['ACCESS_TOKEN_TTL', 'soon'],
    ['REFRESH_REUSE_GRACE', '-1s'],
    ['JWT_SECRET', 'short'],
    ['TRUST_PROXY', 'maybe'],
    ['RATE_LIMIT_AUTH_PER_IP', '-1'],
    ['PASSWORD_MIN_LENGTH', '0'],
    ['ARGON2_MEMORY_KIB', '1024'],
    ['CORS_ORIGINS', 'not an origin'],
  ])('refuses %s=%s with one line naming it', (name, value) => {
    let error: unknown;
    try {
      AppConfig.parse({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`${name}: `)).toBe(true);
    expect(message).not.toContain('\n');
  });

  it('refuses to start in production without JWT_SECRET', () => {
    expect(() => AppConfig.parse({ NODE_ENV: 'production' })).toThrow(
      'JWT_SECRET: required when NODE_ENV=production',
    );
    const config = AppConfig.parse({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(config.jwt.secretIsGenerated).toBe(false);
  });

  it('treats empty variables as unset', () => {
    expect(AppConfig.parse({ SMTP_URL: '', PORT: '' }).port).toBe(3000);
  });
});

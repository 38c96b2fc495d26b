import { randomInt } from 'node:crypto';
import request from 'supertest';
import { API, A_PASSWORD, anEmail } from './support/factories.js';
import { scratchDatabase, type ScratchDatabase } from './support/databases.js';
import { Mailbox, tokenIn } from './support/mailbox.js';
import { ServerProcess } from './support/server-process.js';
import { onPostgres } from './support/test-app.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Two instances of the built server on one PostgreSQL and one Redis, started at the same moment
 * on an empty database, as behind a load balancer. PostgreSQL only.
 */
(onPostgres ? describe : describe.skip)('two instances behind a load balancer', () => {
  let database: ScratchDatabase;
  let mailbox: Mailbox;
  let a: ServerProcess;
  let b: ServerProcess;
  const http = (server: ServerProcess) => request(server.url);

  beforeAll(async () => {
    ServerProcess.buildIfNeeded();
    database = await scratchDatabase();
    mailbox = await new Mailbox().start();
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL,
      SMTP_URL: mailbox.url,
      JWT_SECRET: 'cluster-secret-that-is-long-enough-012345',
      PUBLIC_URL: 'http://accounts.example.test',
      FRONTEND_URL: 'https://app.example.test',
      MAIL_POLL_INTERVAL: '200ms',
      TRUST_PROXY: 'true',
      RATE_LIMIT_AUTH_PER_IP: '8',
      RATE_LIMIT_MAIL_PER_ADDRESS: '0',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '0',
    };
    a = new ServerProcess(env);
    b = new ServerProcess(env);
    await Promise.all([a.start(), b.start()]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await mailbox?.stop();
    await database?.drop();
  });

  const ip = () => `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;

  async function register(server: ServerProcess, email: string) {
    await http(server)
      .post(`${API}/auth/register`)
      .set('X-Forwarded-For', ip())
      .send({ email, password: A_PASSWORD })
      .expect(202);
  }

  it('migrated the empty database once though both started together', async () => {
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT name, count(*)::int AS n FROM migrations GROUP BY name',
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    } finally {
      await client.end();
    }
  });

  it('sends each outbox mail exactly once', async () => {
    const emails = Array.from({ length: 12 }, () => anEmail('cluster'));
    await Promise.all(emails.map((email, i) => register(i % 2 ? b : a, email)));
    for (const email of emails) await mailbox.waitFor(email);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(emails.map((email) => mailbox.to(email).length)).toEqual(emails.map(() => 1));
  });

  it('redeems a one-time token once when both instances get it at the same moment', async () => {
    const email = anEmail('cluster');
    await register(a, email);
    const token = tokenIn(await mailbox.waitFor(email), '/verify-email');
    const results = await Promise.all(
      [a, b, a, b].map((s) =>
        http(s).post(`${API}/auth/verify-email`).set('X-Forwarded-For', ip()).send({ token }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
  });

  it('refuses on one instance the access token logged out on the other, at once', async () => {
    const email = anEmail('cluster');
    await register(b, email);
    const token = tokenIn(await mailbox.waitFor(email), '/verify-email');
    await http(a)
      .post(`${API}/auth/verify-email`)
      .set('X-Forwarded-For', ip())
      .send({ token })
      .expect(200);
    const login = await http(a)
      .post(`${API}/auth/login`)
      .set('X-Forwarded-For', ip())
      .send({ email, password: A_PASSWORD })
      .expect(200);
    const { accessToken, refreshToken } = login.body as {
      accessToken: string;
      refreshToken: string;
    };
    await http(b).get(`${API}/accounts/me`).auth(accessToken, { type: 'bearer' }).expect(200);
    // concurrent refreshes of one token on both instances get one successor
    const refreshed = await Promise.all(
      [a, b].map((s) =>
        http(s).post(`${API}/auth/refresh`).set('X-Forwarded-For', ip()).send({ refreshToken }),
      ),
    );
    expect(refreshed.map((r) => r.status)).toEqual([200, 200]);
    expect(refreshed[0].body.refreshToken).toBe(refreshed[1].body.refreshToken);
    await http(a).post(`${API}/auth/logout`).auth(accessToken, { type: 'bearer' }).expect(204);
    await http(b).get(`${API}/accounts/me`).auth(accessToken, { type: 'bearer' }).expect(401);
  });

  it('counts rate limits across the cluster', async () => {
    const client = ip();
    const statuses = [];
    for (let i = 0; i < 10; i++) {
      const res = await http(i % 2 ? b : a)
        .post(`${API}/auth/login`)
        .set('X-Forwarded-For', client)
        .send({ email: anEmail(), password: 'x' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429, 429]);
  });
});

import { randomInt } from 'node:crypto';
import net from 'node:net';
import { API, anEmail, aUser, login } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis answers at REDIS_URL (CI starts one); on a machine with only Node the shared-counter test skips. */
async function redisAnswers(): Promise<boolean> {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname);
    socket.setTimeout(1_000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    for (const event of ['error', 'timeout']) {
      socket.once(event, () => {
        socket.destroy();
        resolve(false);
      });
    }
  });
}
const redisUp = await redisAnswers();
/** A client address of our own, so that runs sharing one Redis never share a counter. */
const anIp = () => `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;

describe('rate limits', () => {
  describe('per client IP on the public auth routes', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ RATE_LIMIT_AUTH_PER_IP: '5', TRUST_PROXY: 'true' });
    });
    afterAll(() => t.close());

    it('answers 429 RATE_LIMITED with Retry-After past the limit, across routes', async () => {
      const ip = anIp();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const path = i % 2 ? '/auth/verify-email' : '/auth/login';
        const body =
          i % 2 ? { token: 'x'.repeat(43) } : { email: anEmail(), password: 'wrong password!' };
        const res = await t.http().post(`${API}${path}`).set('X-Forwarded-For', ip).send(body);
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.body.code).toBe('RATE_LIMITED');
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
          expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
        }
      }
      expect(statuses).toEqual([401, 400, 401, 400, 401, 429, 429]);
      // another client is not affected
      await t
        .http()
        .post(`${API}/auth/login`)
        .set('X-Forwarded-For', anIp())
        .send({ email: anEmail(), password: 'x' })
        .expect(401);
    });

    it('does not count authenticated routes', async () => {
      const ip = anIp();
      const user = await aUser(t);
      const { accessToken } = await login(t, user);
      for (let i = 0; i < 8; i++) {
        await t
          .http()
          .get(`${API}/accounts/me`)
          .set('X-Forwarded-For', ip)
          .auth(accessToken, { type: 'bearer' })
          .expect(200);
      }
    });
  });

  it('ignores X-Forwarded-For unless TRUST_PROXY is set, so rotating it does not reset the limit', async () => {
    const t = await startTestApp({ RATE_LIMIT_AUTH_PER_IP: '3' });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) {
        const res = await t
          .http()
          .post(`${API}/auth/login`)
          .set('X-Forwarded-For', anIp())
          .send({ email: anEmail(), password: 'x' });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await t.close();
    }
  });

  describe('per account on login', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        RATE_LIMIT_LOGIN_PER_ACCOUNT: '3',
        RATE_LIMIT_MAIL_PER_ADDRESS: '3',
      });
    });
    afterAll(() => t.close());

    it('locks the account after the limit, even for the right password, while forgot-password keeps working', async () => {
      const user = await aUser(t);
      for (let i = 0; i < 3; i++) {
        await t
          .http()
          .post(`${API}/auth/login`)
          .send({ email: user.email, password: 'wrong password!' })
          .expect(401);
      }
      const locked = await t.http().post(`${API}/auth/login`).send(user);
      expect(locked.status).toBe(429);
      expect(locked.body.code).toBe('RATE_LIMITED');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800); // the 15-minute window
      await t.http().post(`${API}/auth/forgot-password`).send({ email: user.email }).expect(202);
      await t.mailbox.waitFor(user.email, 2);
    });

    it('treats an unknown address exactly like a known one', async () => {
      const known = await aUser(t);
      const series = async (email: string) => {
        const out = [];
        for (let i = 0; i < 5; i++) {
          const res = await t
            .http()
            .post(`${API}/auth/login`)
            .send({ email, password: 'wrong password!' });
          out.push([res.status, res.body.code]);
        }
        return out;
      };
      expect(await series(anEmail('ghost'))).toEqual(await series(known.email));
    });

    it('lets concurrent correct logins through and resets the count on success', async () => {
      const user = await aUser(t);
      await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: user.email, password: 'wrong password!' })
        .expect(401);
      const results = await Promise.all(
        [1, 2].map(() => t.http().post(`${API}/auth/login`).send(user)),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      for (let i = 0; i < 2; i++) {
        await t
          .http()
          .post(`${API}/auth/login`)
          .send({ email: user.email, password: 'wrong password!' })
          .expect(401);
      }
      await t.http().post(`${API}/auth/login`).send(user).expect(200);
    });

    it('counts parallel guesses atomically: no more than the limit reach the password check', async () => {
      const email = anEmail('burst');
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          t.http().post(`${API}/auth/login`).send({ email, password: 'guess' }),
        ),
      );
      expect(results.filter((r) => r.status === 401)).toHaveLength(3);
      expect(results.filter((r) => r.status === 429)).toHaveLength(17);
    });

    it('caps mails per submitted address and kind, alike for known and unknown addresses', async () => {
      const known = await aUser(t);
      const series = async (email: string) => {
        const out = [];
        for (let i = 0; i < 5; i++) {
          const res = await t.http().post(`${API}/auth/forgot-password`).send({ email });
          out.push([res.status, res.body.code ?? res.body.message]);
        }
        return out;
      };
      const stranger = anEmail('stranger');
      const knownSeries = await series(known.email);
      expect(await series(stranger)).toEqual(knownSeries);
      expect(knownSeries.map(([status]) => status)).toEqual([202, 202, 202, 429, 429]);
      await t.mailIdle();
      expect(
        t.mailbox.to(known.email).filter((m) => m.subject === 'Reset your password'),
      ).toHaveLength(3);
      // another kind has its own budget
      await t
        .http()
        .post(`${API}/auth/resend-verification`)
        .send({ email: known.email })
        .expect(202);
    });
  });

  it('turns each limit off with 0', async () => {
    const t = await startTestApp({
      RATE_LIMIT_AUTH_PER_IP: '0',
      RATE_LIMIT_LOGIN_PER_ACCOUNT: '0',
    });
    try {
      const email = anEmail();
      for (let i = 0; i < 40; i++) {
        await t
          .http()
          .post(`${API}/auth/login`)
          .send({ email, password: 'wrong password!' })
          .expect(401);
      }
    } finally {
      await t.close();
    }
  });

  (redisUp ? describe : describe.skip)('with REDIS_URL', () => {
    it('shares the counters between instances', async () => {
      const env = { REDIS_URL, RATE_LIMIT_AUTH_PER_IP: '4', TRUST_PROXY: 'true' };
      const a = await startTestApp(env);
      const b = await startTestApp(env, a.mailbox);
      try {
        const ip = anIp();
        const statuses = [];
        for (let i = 0; i < 6; i++) {
          const app = i % 2 ? b : a;
          const res = await app
            .http()
            .post(`${API}/auth/login`)
            .set('X-Forwarded-For', ip)
            .send({ email: anEmail(), password: 'x' });
          statuses.push(res.status);
        }
        expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      } finally {
        await b.close();
        await a.close();
      }
    });
  });
});

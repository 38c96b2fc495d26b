import { createHmac } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { sha256 } from '../src/common/crypto.js';
import { ACCOUNTS_OF_LIVE_SESSIONS } from '../src/users/account-queries.js';
import { API, aLoggedInUser, anEmail, aUser, login } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function decode(jwt: string): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header, payload] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()),
  };
}

/** A JWT built by hand, so that a test controls every header field and claim. */
function sign(
  header: object,
  payload: object,
  secret: string,
  algorithm: 'sha256' | 'sha512' = 'sha256',
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac(algorithm, secret).update(input).digest('base64url')}`;
}

/** Counts the statements `sql` that the app runs from now until `stop()`. */
function countStatements(db: DataSource, sql: string) {
  const createQueryRunner = db.createQueryRunner;
  const counter = { count: 0, stop: () => void (db.createQueryRunner = createQueryRunner) };
  db.createQueryRunner = (mode) => {
    const runner = createQueryRunner.call(db, mode);
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    runner.query = ((text: string, ...rest: unknown[]) => {
      if (text === sql) counter.count += 1;
      return query(text, ...rest);
    }) as typeof runner.query;
    return runner;
  };
  return counter;
}

describe('login, refresh tokens, logout and access tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const me = (token: string) => t.http().get(`${API}/accounts/me`).auth(token, { type: 'bearer' });
  const refresh = (refreshToken: string) =>
    t.http().post(`${API}/auth/refresh`).send({ refreshToken });
  const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });

  describe('login', () => {
    it('answers an unknown email and a wrong password with the same 401', async () => {
      const user = await aUser(t);
      const wrong = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: user.email, password: 'not the password' });
      const unknown = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: anEmail('nobody'), password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(withoutRequestId(wrong.body)).toEqual(withoutRequestId(unknown.body));
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('tells an unverified account apart only to someone with its password', async () => {
      const user = await aUser(t, { verified: false });
      await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: user.email, password: 'not the password' })
        .expect(401);
      const res = await t.http().post(`${API}/auth/login`).send(user).expect(403);
      expect(res.body.code).toBe('EMAIL_NOT_VERIFIED');
    });

    it('returns the token pair with a pinned, minimal access token', async () => {
      const user = await aUser(t);
      const res = await t.http().post(`${API}/auth/login`).send(user).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        tokenType: 'Bearer',
        expiresIn: 900,
      });
      const { header, payload } = decode(res.body.accessToken);
      expect(header).toEqual({ alg: 'HS256', typ: 'at+jwt' });
      expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'sid', 'sub']);
      expect(payload).toMatchObject({ iss: t.config.jwt.issuer, aud: t.config.jwt.audience });
      expect(Number(payload.exp) - Number(payload.iat)).toBe(900);
      expect(res.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('uses the password exactly as given', async () => {
      const user = await aUser(t);
      await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: user.email, password: `${user.password} ` })
        .expect(401);
      await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: user.email, password: user.password.toUpperCase() })
        .expect(401);
    });
  });

  describe('refresh rotation', () => {
    it('returns a new pair each time, stores only hashes, and keeps the session', async () => {
      const user = await aLoggedInUser(t);
      const first = await refresh(user.refreshToken).expect(200);
      expect(first.body.refreshToken).not.toBe(user.refreshToken);
      const second = await refresh(first.body.refreshToken).expect(200);
      await me(second.body.accessToken).expect(200);
      expect(decode(second.body.accessToken).payload.sid).toBe(
        decode(user.accessToken).payload.sid,
      );

      const rows = await t.db.query(
        `SELECT token_hash, retired_at FROM refresh_tokens WHERE session_id = $1 ORDER BY created_at`,
        [decode(user.accessToken).payload.sid],
      );
      expect(rows.map((r: { token_hash: string }) => r.token_hash)).toEqual(
        [user.refreshToken, first.body.refreshToken, second.body.refreshToken].map(sha256),
      );
      expect(rows.map((r: { retired_at: Date | null }) => r.retired_at === null)).toEqual([
        false,
        false,
        true,
      ]);
    });

    it('gives the same successor to a retired token presented again within the grace window', async () => {
      const user = await aLoggedInUser(t);
      const first = await refresh(user.refreshToken).expect(200);
      const again = await refresh(user.refreshToken).expect(200);
      expect(again.body.refreshToken).toBe(first.body.refreshToken);
      await refresh(first.body.refreshToken).expect(200);
    });

    it('rotates once when ten refreshes of one token race', async () => {
      const user = await aLoggedInUser(t);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => refresh(user.refreshToken)),
      );
      expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(new Set(results.map((r) => r.body.refreshToken)).size).toBe(1);
      const [{ active }] = await t.db.query(
        `SELECT count(*)::int AS active FROM refresh_tokens WHERE session_id = $1 AND retired_at IS NULL`,
        [decode(user.accessToken).payload.sid],
      );
      expect(active).toBe(1);
    });

    it('revokes the whole session when a retired token is replayed after the grace window', async () => {
      const user = await aLoggedInUser(t);
      const otherDevice = await login(t, user);
      const first = await refresh(user.refreshToken).expect(200);
      const second = await refresh(first.body.refreshToken).expect(200);
      const sid = decode(user.accessToken).payload.sid;
      await t.db.query(
        `UPDATE refresh_tokens SET retired_at = retired_at - interval '1 minute' WHERE session_id = $1`,
        [sid],
      );

      const replay = await refresh(user.refreshToken);
      expect(replay.status).toBe(401);
      expect(replay.body.code).toBe('UNAUTHORIZED');
      await refresh(second.body.refreshToken).expect(401);
      await me(second.body.accessToken).expect(401);
      const [session] = await t.db.query(`SELECT revoked_at FROM sessions WHERE id = $1`, [sid]);
      expect(session.revoked_at).not.toBeNull();
      await refresh(otherDevice.refreshToken).expect(200);
    });

    it('refuses unknown and malformed refresh tokens, and access tokens', async () => {
      const user = await aLoggedInUser(t);
      await refresh('x'.repeat(43)).expect(401);
      await refresh(user.accessToken).expect(401);
      await t.http().post(`${API}/auth/refresh`).send({}).expect(400);
    });
  });

  describe('logout', () => {
    it('ends the session at once: its access and refresh tokens are refused', async () => {
      const user = await aLoggedInUser(t);
      const other = await login(t, user);
      const res = await t
        .http()
        .post(`${API}/auth/logout`)
        .auth(user.accessToken, { type: 'bearer' });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const after = await me(user.accessToken);
      expect(after.status).toBe(401);
      expect(after.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(after.body.code).toBe('UNAUTHORIZED');
      await refresh(user.refreshToken).expect(401);
      await me(other.accessToken).expect(200);
      await t.http().post(`${API}/auth/logout`).expect(401);
    });
  });

  describe('session checks of concurrent requests', () => {
    it('answers each request from its own session when one statement checks them all', async () => {
      const users = await Promise.all([1, 2, 3, 4, 5].map(() => aLoggedInUser(t)));
      const [ended, ...live] = users;
      await t
        .http()
        .post(`${API}/auth/logout`)
        .auth(ended.accessToken, { type: 'bearer' })
        .expect(204);
      // the live session of one account presented with another account's subject
      const { payload } = decode(live[0].accessToken);
      const { id: otherId } = (await me(live[1].accessToken).expect(200)).body;
      const iat = Math.floor(Date.now() / 1000);
      const crossed = sign(
        { alg: 'HS256', typ: 'at+jwt' },
        { ...payload, sub: otherId, iat, exp: iat + 600 },
        t.config.jwt.secret,
      );

      const checks = countStatements(t.db, ACCOUNTS_OF_LIVE_SESSIONS);
      const tokens = [...users, ...live].map((u) => u.accessToken).concat(crossed);
      const answers = await Promise.all(
        tokens.map((token) =>
          t.app.inject({
            method: 'GET',
            url: `${API}/accounts/me`,
            headers: { authorization: `Bearer ${token}` },
          }),
        ),
      );
      checks.stop();

      expect(checks.count).toBeGreaterThanOrEqual(1);
      expect(checks.count).toBeLessThan(tokens.length);
      const expected = [...users, ...live].map((u) => (u === ended ? 401 : u.email));
      expect(answers.map((a) => (a.statusCode === 200 ? a.json().email : a.statusCode))).toEqual([
        ...expected,
        401,
      ]);
    });
  });

  describe('access tokens an attacker might try', () => {
    let user: Awaited<ReturnType<typeof aLoggedInUser>>;
    let claims: Record<string, unknown>;
    const now = () => Math.floor(Date.now() / 1000);

    beforeAll(async () => {
      user = await aLoggedInUser(t);
      claims = decode(user.accessToken).payload;
    });

    const good = () => ({ ...claims, iat: now(), exp: now() + 600 });
    const header = { alg: 'HS256', typ: 'at+jwt' };

    it('accepts a hand-built token with the right header and claims (the builder is right)', async () => {
      await me(sign(header, good(), t.config.jwt.secret)).expect(200);
    });

    it.each([
      ['no token', () => ''],
      ['garbage', () => 'not.a.jwt'],
      ['alg none', () => `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(good())}.`],
      ['HS512', () => sign({ alg: 'HS512', typ: 'at+jwt' }, good(), t.config.jwt.secret, 'sha512')],
      ['typ JWT', () => sign({ alg: 'HS256', typ: 'JWT' }, good(), t.config.jwt.secret)],
      ['no typ', () => sign({ alg: 'HS256' }, good(), t.config.jwt.secret)],
      [
        'another issuer',
        () => sign(header, { ...good(), iss: 'https://evil.example' }, t.config.jwt.secret),
      ],
      [
        'another audience',
        () => sign(header, { ...good(), aud: 'https://evil.example' }, t.config.jwt.secret),
      ],
      [
        'expired',
        () => sign(header, { ...good(), iat: now() - 1000, exp: now() - 1 }, t.config.jwt.secret),
      ],
      ['another key', () => sign(header, good(), 'another secret that is long enough 0123456789')],
      [
        'a session that does not exist',
        () =>
          sign(
            header,
            { ...good(), sid: '00000000-0000-4000-8000-000000000000' },
            t.config.jwt.secret,
          ),
      ],
      [
        'a tampered subject',
        () => {
          const [h, , s] = user.accessToken.split('.');
          return `${h}.${b64({ ...claims, sub: '00000000-0000-4000-8000-000000000000' })}.${s}`;
        },
      ],
      ['the refresh token', () => user.refreshToken],
    ])('refuses %s with 401 UNAUTHORIZED', async (_name, token) => {
      const value = token();
      const req = t.http().get(`${API}/accounts/me`);
      const res = value ? await req.set('Authorization', `Bearer ${value}`) : await req;
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
    });
  });
});

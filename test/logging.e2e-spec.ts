import { Writable } from 'node:stream';
import { API, A_PASSWORD, anEmail } from './support/factories.js';
import { tokenIn } from './support/mailbox.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface LogLine {
  level: number;
  msg: string;
  req?: { id: string; url: string };
}

// Alone in its file: nestjs-pino keeps its application logger process-wide, so the lines of an app
// are captured reliably only when it is the first app of the test process.
describe('logs', () => {
  let t: TestApp;
  const raw: string[] = [];

  beforeAll(async () => {
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    t = await startTestApp({ LOG_LEVEL: 'info', REFRESH_REUSE_GRACE: '1s' }, undefined, capture);
  });
  afterAll(() => t.close());

  it('are JSON lines with the request id, and never a password, a token or an Authorization header', async () => {
    const email = anEmail('logs');
    const password = `${A_PASSWORD} MARKER-${Date.now()}`;
    const register = await t
      .http()
      .post(`${API}/auth/register`)
      .send({ email, password })
      .expect(202);
    const verifyToken = tokenIn(await t.mailbox.waitFor(email), '/verify-email');
    await t.http().post(`${API}/auth/verify-email`).send({ token: verifyToken }).expect(200);
    const { body: tokens } = await t
      .http()
      .post(`${API}/auth/login`)
      .send({ email, password })
      .expect(200);
    await t
      .http()
      .get(`${API}/accounts/me`)
      .auth(tokens.accessToken, { type: 'bearer' })
      .expect(200);
    const refreshed = await t
      .http()
      .post(`${API}/auth/refresh`)
      .send({ refreshToken: tokens.refreshToken })
      .expect(200);
    await new Promise((r) => setTimeout(r, 1_100)); // past the reuse grace: a replay
    const replay = await t
      .http()
      .post(`${API}/auth/refresh`)
      .send({ refreshToken: tokens.refreshToken })
      .expect(401);
    await t
      .http()
      .post(`${API}/auth/login`)
      .send({ email: 'x@y.io\nFAKE admin login ok', password })
      .expect(400);
    await t.mailIdle();
    await new Promise((r) => setTimeout(r, 100));

    const lines = raw.map((line) => JSON.parse(line) as LogLine);
    const requestLine = lines.find((l) => l.req?.id === register.headers['x-request-id']);
    expect(requestLine).toMatchObject({ req: { url: '/api/v1/auth/register' } });
    expect(lines.filter((l) => l.req).length).toBeGreaterThanOrEqual(6);
    // a line logged by a service while it handles a request carries that request's id
    const reuse = lines.find(
      (l) => (l as { event?: string }).event === 'refresh_token_reuse_detected',
    );
    expect(reuse).toMatchObject({
      level: 40,
      req: { id: replay.headers['x-request-id'], url: '/api/v1/auth/refresh' },
    });

    const all = raw.join('\n');
    for (const secret of [
      password,
      verifyToken,
      tokens.accessToken,
      tokens.refreshToken,
      refreshed.body.refreshToken,
      'Bearer ',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(raw.some((line) => line.startsWith('FAKE'))).toBe(false); // no log injection
  });
});

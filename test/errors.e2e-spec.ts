import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { API, A_PASSWORD, anEmail } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const LEAKS = /stack|QueryFailedError|SELECT |node_modules|\.ts:\d+|\.js:\d+/;

describe('errors are RFC 9457 problems, and leak nothing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const post = (path: string) => t.http().post(`${API}${path}`);

  function expectProblem(
    res: {
      status: number;
      headers: Record<string, string>;
      body: Record<string, unknown>;
      text: string;
    },
    status: number,
    code: string,
  ) {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/^urn:accounts:problem:/),
      title: expect.any(String),
      status,
    });
    expect(res.text).not.toMatch(LEAKS);
  }

  it('answers malformed JSON with 400 VALIDATION_FAILED', async () => {
    expectProblem(
      await post('/auth/login').set('Content-Type', 'application/json').send('{"email": "a@b.io",'),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('answers a body over 64 KiB with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await post('/auth/register').send({
      email: anEmail(),
      password: 'x'.repeat(70 * 1024),
    });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('accepts JSON only', async () => {
    expectProblem(
      await post('/auth/login').set('Content-Type', 'text/plain').send('email=a@b.io'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expectProblem(
      await post('/auth/login').type('form').send({ email: 'a@b.io', password: 'x' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it('names unknown, missing and mistyped fields', async () => {
    const unknown = await post('/auth/login').send({ email: 'a@b.io', password: 'x', admin: true });
    expectProblem(unknown, 400, 'VALIDATION_FAILED');
    expect(unknown.body.errors).toEqual([{ field: 'admin', message: expect.any(String) }]);
    const missing = await post('/auth/register').send({ email: anEmail() });
    expectProblem(missing, 400, 'VALIDATION_FAILED');
    expect(missing.body.errors).toEqual(
      expect.arrayContaining([{ field: 'password', message: expect.any(String) }]),
    );
    expectProblem(
      await post('/auth/login').send({ email: 42, password: 'x' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses an array, a duplicated key, or a CR/LF where one address is expected, and mails nothing', async () => {
    const victim = anEmail('victim');
    expectProblem(
      await post('/auth/forgot-password').send({ email: [victim, 'att@example.test'] }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await post('/auth/forgot-password')
        .set('Content-Type', 'application/json')
        .send(`{"email":"${victim}","email":"att@example.test"}`),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await post('/auth/register').send({
        email: `${victim}\r\nBcc: att@example.test`,
        password: A_PASSWORD,
      }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await post('/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"__proto__": {"x": 1}}'),
      400,
      'VALIDATION_FAILED',
    );
    await t.mailIdle();
    expect(t.mailbox.to(victim)).toHaveLength(0);
    expect(t.mailbox.to('att@example.test')).toHaveLength(0);
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    expectProblem(await t.http().get(`${API}/nope`), 404, 'NOT_FOUND');
    expectProblem(await t.http().get('/nope/deeper'), 404, 'NOT_FOUND');
  });

  it('sets the hardening headers on every answer', async () => {
    for (const res of [await t.http().get('/health/live'), await post('/auth/login').send({})]) {
      expect(res.headers).toMatchObject({
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'strict-transport-security': expect.stringContaining('max-age=31536000'),
        'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    const echoed = await t.http().get('/health/live').set('X-Request-Id', 'abc12345-test');
    expect(echoed.headers['x-request-id']).toBe('abc12345-test');
    const refused = await t.http().get('/health/live').set('X-Request-Id', 'has spaces and\ttabs');
    expect(refused.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows CORS for the configured origin only', async () => {
    const preflight = (origin: string) =>
      t
        .http()
        .options(`${API}/auth/login`)
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST');
    const allowed = await preflight('https://app.example.test');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.test');
    const evil = await preflight('https://evil.example');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('a configuration error at start-up', () => {
  (existsSync('dist/main.js') ? it : it.skip)(
    'stops the built server with one line naming the variable',
    async () => {
      const run = promisify(execFile);
      const failure = await run('node', ['dist/main.js'], {
        env: { ...process.env, PORT: 'abc' },
        timeout: 15_000,
      }).catch((error: { code: number; stderr: string; stdout: string }) => error);
      expect(failure).toMatchObject({ code: 1 });
      const { stderr, stdout } = failure;
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^Configuration error: PORT: /),
      ]);
      expect(stdout).toBe('');
    },
  );
});

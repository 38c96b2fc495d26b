import { createOpenApiDocument } from '../src/app.factory.js';
import { API, aLoggedInUser } from './support/factories.js';
import { scratchDatabase, type ScratchDatabase } from './support/databases.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  ' ',
  [],
  {},
  ['a@b.io', 'c@d.io'],
  { $ne: null },
  { toString: 'x' },
  'x'.repeat(60_000),
  '🔑'.repeat(300),
  '\u0000\u0001\u0002',
  'a@b.io\r\nBcc: victim@example.test',
  'a@b.io%0d%0aBcc:victim@example.test',
  "' OR '1'='1",
  "x@y.io'; DROP TABLE users; --",
  '"><script>alert(1)</script>',
  '../../../../etc/passwd',
  '${jndi:ldap://127.0.0.1/a}',
  'ＡＤＡ@ＥＸＡＭＰＬＥ.ＣＯＭ',
  'ada@exa mple.com',
  '@example.com',
  'ada@',
  'a'.repeat(250) + '@x.io',
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  '00000000-0000-0000-0000-000000000000',
];

const FIELDS = [
  'email',
  'password',
  'displayName',
  'token',
  'refreshToken',
  'newPassword',
  'currentPassword',
  'newEmail',
];
const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'isAdmin', 'emailVerified', 'id'];

function hostileBody(next: () => number): unknown {
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
  const shape = next();
  if (shape < 0.1) return pick(HOSTILE_VALUES);
  const body: Record<string, unknown> = {};
  const count = 1 + Math.floor(next() * 4);
  for (let i = 0; i < count; i++) body[pick(FIELDS)] = pick(HOSTILE_VALUES);
  if (shape > 0.8) body[pick(DANGEROUS_KEYS)] = { polluted: true };
  return body;
}

const TABLES = ['users', 'sessions', 'refresh_tokens', 'one_time_tokens', 'outbox_mails'];

describe('fuzzing every route with hostile bodies', () => {
  let t: TestApp;
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await scratchDatabase(); // it counts whole tables: no other test may write there
    t = await startTestApp({ DATABASE_URL: database.url });
  });
  afterAll(async () => {
    await t.close();
    await database.drop();
  });

  async function counts(): Promise<Record<string, number | string>> {
    const out: Record<string, number | string> = {};
    for (const table of TABLES)
      out[table] = (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
    out.verified = (
      await t.db.query(`SELECT count(*)::int AS n FROM users WHERE email_verified_at IS NOT NULL`)
    )[0].n;
    out.revoked = (
      await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE revoked_at IS NOT NULL`)
    )[0].n;
    out.used = (
      await t.db.query(
        `SELECT count(*)::int AS n FROM one_time_tokens WHERE used_at IS NOT NULL OR revoked_at IS NOT NULL`,
      )
    )[0].n;
    // every column of every account but the one free-text field PATCH /accounts/me may set
    out.accounts = JSON.stringify(
      await t.db.query(`SELECT id, email, password_hash, email_verified_at FROM users ORDER BY id`),
    );
    return out;
  }

  it('never answers 5xx and never changes state', async () => {
    const user = await aLoggedInUser(t);
    await t.mailIdle();
    const document = createOpenApiDocument(t.app);
    const routes = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item as object).map((method) => ({ method, path: path.replace('{id}', 'x') })),
    );
    const before = await counts();
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    const next = random(20261123);
    let requests = 0;
    for (const { method, path } of routes) {
      for (let i = 0; i < 60; i++) {
        const body = hostileBody(next);
        // logout with a valid token is a valid logout whatever the body: fuzz it without one
        const withToken = i % 2 === 0 && !path.endsWith('/auth/logout');
        let req = t.http()[method as 'post' | 'get' | 'patch' | 'delete'](path);
        if (withToken) req = req.auth(user.accessToken, { type: 'bearer' });
        const raw = i % 10 === 9; // sometimes send the text as-is, not as JSON
        const text = raw ? `{"email": ${JSON.stringify(body)}` : JSON.stringify(body);
        const res = await req.set('Content-Type', 'application/json').send(text);
        requests++;
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) {
          throw new Error(
            `${method.toUpperCase()} ${path} answered ${res.status} to ${JSON.stringify(body)?.slice(0, 200)}: ${res.text}`,
          );
        }
        if (res.status < 300) accepted.push(`${method.toUpperCase()} ${path}`);
        if (res.status >= 400) {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(res.text).not.toMatch(/QueryFailedError|SELECT |at .*\.ts:\d+|node_modules/);
        }
      }
    }
    await t.mailIdle();
    expect(await counts()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // the only bodies accepted are free-text display names and the read-only routes
    expect(
      [...new Set(accepted)].filter(
        (r) => !r.startsWith('GET') && r !== 'PATCH /api/v1/accounts/me',
      ),
    ).toEqual([]);
    // the caller's session survived the storm
    await t.http().get(`${API}/accounts/me`).auth(user.accessToken, { type: 'bearer' }).expect(200);
    const summary = [...statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    console.log(
      `fuzz: ${requests} requests over ${routes.length} routes; statuses ${summary}; 5xx: 0`,
    );
  });
});

import { sha256 } from '../src/common/crypto.js';
import { API, A_PASSWORD, anEmail, aUser, login, problem } from './support/factories.js';
import { FRONTEND_URL, startTestApp, type TestApp } from './support/test-app.js';
import { linkIn, tokenIn } from './support/mailbox.js';

describe('registration and email verification', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('registers, mails a link to FRONTEND_URL, verifies it, and lets the person log in', async () => {
    const email = anEmail();
    const res = await t
      .http()
      .post(`${API}/auth/register`)
      .send({ email: `  ${email.toUpperCase()} `, password: A_PASSWORD, displayName: 'Ada' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: expect.any(String) });

    const [row] = await t.db.query(
      `SELECT email, display_name, email_verified_at, password_hash FROM users WHERE email = $1`,
      [email],
    );
    expect(row).toMatchObject({ email, display_name: 'Ada', email_verified_at: null });
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);

    const mail = await t.mailbox.waitFor(email);
    expect(mail.subject).toBe('Confirm your email address');
    expect(mail.html).toMatch(
      /href=["']https:\/\/app\.example\.test\/verify-email\?token(=|&#x3D;)/,
    );
    const link = linkIn(mail, '/verify-email');
    expect(link.origin).toBe(FRONTEND_URL);
    const token = tokenIn(mail, '/verify-email');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tokens = await t.db.query(
      `SELECT token_hash FROM one_time_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = $1`,
      [email],
    );
    expect(tokens).toEqual([{ token_hash: sha256(token) }]);

    await t
      .http()
      .post(`${API}/auth/login`)
      .send({ email, password: A_PASSWORD })
      .expect(problem('EMAIL_NOT_VERIFIED'));

    const verified = await t.http().post(`${API}/auth/verify-email`).send({ token });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ message: expect.any(String) });
    const [after] = await t.db.query(`SELECT email_verified_at FROM users WHERE email = $1`, [
      email,
    ]);
    expect(after.email_verified_at).not.toBeNull();

    const session = await login(t, { email: email.toUpperCase(), password: A_PASSWORD });
    const me = await t
      .http()
      .get(`${API}/accounts/me`)
      .auth(session.accessToken, { type: 'bearer' })
      .expect(200);
    expect(me.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email,
      displayName: 'Ada',
      emailVerified: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
  });

  it('answers a registration of a taken address exactly like a new one, and tells the owner instead', async () => {
    const owner = await aUser(t);
    const fresh = await t
      .http()
      .post(`${API}/auth/register`)
      .send({ email: anEmail(), password: A_PASSWORD });
    const taken = await t
      .http()
      .post(`${API}/auth/register`)
      .send({ email: owner.email.toUpperCase(), password: 'another password 123' });
    expect(taken.status).toBe(fresh.status);
    expect(taken.body).toEqual(fresh.body);
    expect(Object.keys(taken.headers).sort()).toEqual(Object.keys(fresh.headers).sort());

    const notice = await t.mailbox.waitFor(owner.email, 2);
    expect(notice.subject).toBe('Someone tried to register with your address');
    expect(notice.text).not.toMatch(/token=/);
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM users WHERE email = $1`,
      [owner.email],
    );
    expect(count).toBe(1);
    await login(t, owner);
    await t
      .http()
      .post(`${API}/auth/login`)
      .send({ email: owner.email, password: 'another password 123' })
      .expect(401);
  });

  it('creates one account when the same address registers 20 times at once', async () => {
    const email = anEmail('race');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t
          .http()
          .post(`${API}/auth/register`)
          .send({ email: i % 2 ? email : email.toUpperCase(), password: `${A_PASSWORD} ${i}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(202));
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM users WHERE email = $1`,
      [email],
    );
    expect(count).toBe(1);
  });

  it('redeems a verification token exactly once when it is used twice at the same time', async () => {
    const user = await aUser(t, { verified: false });
    const token = tokenIn(await t.mailbox.waitFor(user.email), '/verify-email');
    const results = await Promise.all(
      [1, 2, 3].map(() => t.http().post(`${API}/auth/verify-email`).send({ token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    for (const r of results.filter((x) => x.status === 400)) expect(r.body.code).toBe('TOKEN_USED');
    await t.http().post(`${API}/auth/verify-email`).send({ token }).expect(problem('TOKEN_USED'));
  });

  it('refuses an unknown, malformed or expired verification token with its code', async () => {
    await t
      .http()
      .post(`${API}/auth/verify-email`)
      .send({ token: 'x'.repeat(43) })
      .expect(problem('TOKEN_INVALID'));
    await t
      .http()
      .post(`${API}/auth/verify-email`)
      .send({ token: 'short' })
      .expect(problem('TOKEN_INVALID'));
    const user = await aUser(t, { verified: false });
    const token = tokenIn(await t.mailbox.waitFor(user.email), '/verify-email');
    await t.db.query(
      `UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
      [sha256(token)],
    );
    await t
      .http()
      .post(`${API}/auth/verify-email`)
      .send({ token })
      .expect(problem('TOKEN_EXPIRED'));
  });

  it('resends a link that supersedes the first, answering alike for unknown and verified addresses', async () => {
    const user = await aUser(t, { verified: false });
    const first = tokenIn(await t.mailbox.waitFor(user.email, 1), '/verify-email');
    const known = await t
      .http()
      .post(`${API}/auth/resend-verification`)
      .send({ email: user.email });
    const unknown = await t
      .http()
      .post(`${API}/auth/resend-verification`)
      .send({ email: anEmail('nobody') });
    const verified = await aUser(t);
    const done = await t
      .http()
      .post(`${API}/auth/resend-verification`)
      .send({ email: verified.email });
    for (const r of [unknown, done]) {
      expect(r.status).toBe(known.status);
      expect(r.body).toEqual(known.body);
    }
    expect(known.status).toBe(202);
    const second = tokenIn(await t.mailbox.waitFor(user.email, 2), '/verify-email');
    await t
      .http()
      .post(`${API}/auth/verify-email`)
      .send({ token: first })
      .expect(problem('TOKEN_INVALID'));
    await t.http().post(`${API}/auth/verify-email`).send({ token: second }).expect(200);
    await t.mailIdle();
    expect(t.mailbox.to(verified.email)).toHaveLength(1);
  });

  it('never builds mail links from a forged Host header', async () => {
    const email = anEmail();
    await t
      .http()
      .post(`${API}/auth/register`)
      .set('Host', 'evil.example')
      .set('X-Forwarded-Host', 'evil.example')
      .send({ email, password: A_PASSWORD })
      .expect(202);
    expect(linkIn(await t.mailbox.waitFor(email), '/verify-email').origin).toBe(FRONTEND_URL);
  });

  it('refuses passwords shorter than PASSWORD_MIN_LENGTH code points with WEAK_PASSWORD', async () => {
    const res = await t
      .http()
      .post(`${API}/auth/register`)
      .send({ email: anEmail(), password: '🔑🔑🔑🔑🔑🔑🔑' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'WEAK_PASSWORD', detail: expect.stringContaining('8') });
  });
});

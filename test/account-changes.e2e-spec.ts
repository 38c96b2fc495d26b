import { sha256 } from '../src/common/crypto.js';
import {
  API,
  A_PASSWORD,
  aLoggedInUser,
  anEmail,
  aUser,
  login,
  type TestUser,
  type Tokens,
  problem,
} from './support/factories.js';
import { linkIn, tokenIn } from './support/mailbox.js';
import { FRONTEND_URL, startTestApp, type TestApp } from './support/test-app.js';

describe('account details, email change and deletion', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const bearer = (tokens: Tokens) => ['Authorization', `Bearer ${tokens.accessToken}`] as const;
  const userRow = async (id: string) =>
    (await t.db.query(`SELECT * FROM users WHERE id = $1`, [id]))[0];

  /** The first mail to `address` with this subject (waiting for it). */
  const mailWithSubject = (address: string, subject: string) =>
    t.mailbox.waitForSubject(address, subject);

  async function requestEmailChange(user: TestUser & Tokens, newEmail: string): Promise<string> {
    const mail = await t.mailbox.nextAfter(
      newEmail.toLowerCase(),
      'Confirm your new email address',
      () =>
        t
          .http()
          .post(`${API}/accounts/me/email`)
          .set(...bearer(user))
          .send({ newEmail, password: user.password })
          .expect(202),
    );
    expect(linkIn(mail, '/confirm-email-change').origin).toBe(FRONTEND_URL);
    return tokenIn(mail, '/confirm-email-change');
  }

  describe('PATCH /accounts/me', () => {
    it('edits displayName and returns the profile', async () => {
      const user = await aLoggedInUser(t);
      const res = await t
        .http()
        .patch(`${API}/accounts/me`)
        .set(...bearer(user))
        .send({ displayName: 'Ada King' })
        .expect(200);
      expect(res.body).toMatchObject({
        email: user.email,
        displayName: 'Ada King',
        emailVerified: true,
      });
      expect(Object.keys(res.body).sort()).toEqual([
        'createdAt',
        'displayName',
        'email',
        'emailVerified',
        'id',
        'updatedAt',
      ]);
      const cleared = await t
        .http()
        .patch(`${API}/accounts/me`)
        .set(...bearer(user))
        .send({ displayName: null })
        .expect(200);
      expect(cleared.body.displayName).toBeNull();
    });

    it.each([
      [{ email: 'other@example.test' }],
      [{ id: '00000000-0000-0000-0000-000000000000' }],
      [{ password: 'a new passphrase!' }],
      [{ emailVerified: false }],
      [{ displayName: 'x'.repeat(101) }],
      [{ displayName: '' }],
      [{ displayName: 42 }],
      [{ displayName: 'Ok', role: 'admin' }],
    ])('refuses %j with VALIDATION_FAILED and changes nothing', async (body) => {
      const user = await aLoggedInUser(t);
      const me = (
        await t
          .http()
          .get(`${API}/accounts/me`)
          .set(...bearer(user))
          .expect(200)
      ).body;
      const before = await userRow(me.id);
      const res = await t
        .http()
        .patch(`${API}/accounts/me`)
        .set(...bearer(user))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(await userRow(me.id)).toEqual(before);
    });
  });

  describe('email change', () => {
    it('keeps the old address until the link is confirmed, then switches login to the new one', async () => {
      const user = await aLoggedInUser(t);
      const newEmail = anEmail('new');
      const token = await requestEmailChange(user, newEmail.toUpperCase());
      const notice = await mailWithSubject(
        user.email,
        'A change of your email address was requested',
      );
      expect(notice.text).toContain(newEmail);
      expect(notice.text).not.toMatch(/token=/);

      const me = await t
        .http()
        .get(`${API}/accounts/me`)
        .set(...bearer(user))
        .expect(200);
      expect(me.body.email).toBe(user.email);
      await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: newEmail, password: user.password })
        .expect(401);

      await t.http().post(`${API}/accounts/email/confirm`).send({ token }).expect(200);
      const after = await t
        .http()
        .get(`${API}/accounts/me`)
        .set(...bearer(user))
        .expect(200);
      expect(after.body).toMatchObject({ email: newEmail, emailVerified: true });
      await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: user.email, password: user.password })
        .expect(401);
      await login(t, { email: newEmail, password: user.password });
      const final = await mailWithSubject(user.email, 'Your email address was changed');
      expect(final.text).toContain(newEmail);

      await t
        .http()
        .post(`${API}/accounts/email/confirm`)
        .send({ token })
        .expect(problem('TOKEN_USED'));
    });

    it('checks the password, refuses the current address and a taken one', async () => {
      const user = await aLoggedInUser(t);
      const other = await aUser(t);
      await t
        .http()
        .post(`${API}/accounts/me/email`)
        .set(...bearer(user))
        .send({ newEmail: anEmail(), password: 'wrong password!' })
        .expect(problem('INVALID_PASSWORD'));
      await t
        .http()
        .post(`${API}/accounts/me/email`)
        .set(...bearer(user))
        .send({ newEmail: user.email.toUpperCase(), password: user.password })
        .expect(problem('VALIDATION_FAILED'));
      await t
        .http()
        .post(`${API}/accounts/me/email`)
        .set(...bearer(user))
        .send({ newEmail: other.email, password: user.password })
        .expect(problem('EMAIL_TAKEN'));
      await t
        .http()
        .post(`${API}/accounts/me/email`)
        .set(...bearer(user))
        .send({ newEmail: 'not-an-email', password: user.password })
        .expect(400);
      await t.mailIdle();
      expect(t.mailbox.to(other.email)).toHaveLength(1); // only its own verification
    });

    it('answers 409 and changes nothing when the address was taken before confirmation', async () => {
      const user = await aLoggedInUser(t);
      const wanted = anEmail('wanted');
      const token = await requestEmailChange(user, wanted);
      await aUser(t, { email: wanted });
      await t
        .http()
        .post(`${API}/accounts/email/confirm`)
        .send({ token })
        .expect(problem('EMAIL_TAKEN'));
      const me = await t
        .http()
        .get(`${API}/accounts/me`)
        .set(...bearer(user))
        .expect(200);
      expect(me.body.email).toBe(user.email);
      const [row] = await t.db.query(`SELECT used_at FROM one_time_tokens WHERE token_hash = $1`, [
        sha256(token),
      ]);
      expect(row.used_at).toBeNull();
    });

    it('lets exactly one of two accounts confirming the same new address at once win', async () => {
      const a = await aLoggedInUser(t);
      const b = await aLoggedInUser(t);
      const target = anEmail('contested');
      const tokenA = await requestEmailChange(a, target);
      const tokenB = await requestEmailChange(b, target);
      const results = await Promise.all(
        [tokenA, tokenB].map((token) =>
          t.http().post(`${API}/accounts/email/confirm`).send({ token }),
        ),
      );
      expect(results.map((r) => [r.status, r.body.code]).sort()).toEqual([
        [200, undefined],
        [409, 'EMAIL_TAKEN'],
      ]);
      const [{ count }] = await t.db.query(
        `SELECT count(*)::int AS count FROM users WHERE email = $1`,
        [target],
      );
      expect(count).toBe(1);
    });

    it('refuses a link after a password change, after expiry, and superseded by a newer request', async () => {
      const user = await aLoggedInUser(t);
      const beforeChange = await requestEmailChange(user, anEmail());
      await t
        .http()
        .post(`${API}/accounts/me/password`)
        .set(...bearer(user))
        .send({ currentPassword: user.password, newPassword: 'a brand new passphrase' })
        .expect(200);
      await t
        .http()
        .post(`${API}/accounts/email/confirm`)
        .send({ token: beforeChange })
        .expect(problem('TOKEN_INVALID'));

      const fresh = { ...user, password: 'a brand new passphrase' };
      const expiring = await requestEmailChange(fresh, anEmail());
      await t.db.query(
        `UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
        [sha256(expiring)],
      );
      await t
        .http()
        .post(`${API}/accounts/email/confirm`)
        .send({ token: expiring })
        .expect(problem('TOKEN_EXPIRED'));

      const first = await requestEmailChange(fresh, anEmail());
      const second = await requestEmailChange(fresh, anEmail());
      await t
        .http()
        .post(`${API}/accounts/email/confirm`)
        .send({ token: first })
        .expect(problem('TOKEN_INVALID'));
      await t.http().post(`${API}/accounts/email/confirm`).send({ token: second }).expect(200);
    });

    it('revokes the tokens issued for the old address once the change is confirmed', async () => {
      const user = await aLoggedInUser(t);
      await t.http().post(`${API}/auth/forgot-password`).send({ email: user.email }).expect(202);
      const reset = tokenIn(
        await mailWithSubject(user.email, 'Reset your password'),
        '/reset-password',
      );
      const token = await requestEmailChange(user, anEmail());
      await t.http().post(`${API}/accounts/email/confirm`).send({ token }).expect(200);
      await t
        .http()
        .post(`${API}/auth/reset-password`)
        .send({ token: reset, newPassword: 'a brand new passphrase' })
        .expect(problem('TOKEN_INVALID'));
    });
  });

  describe('deletion', () => {
    async function requestDeletion(user: TestUser & Tokens): Promise<string> {
      const mail = await t.mailbox.nextAfter(
        user.email,
        'Confirm the deletion of your account',
        () =>
          t
            .http()
            .post(`${API}/accounts/me/delete`)
            .set(...bearer(user))
            .send({ password: user.password })
            .expect(202),
      );
      expect(linkIn(mail, '/confirm-account-deletion').origin).toBe(FRONTEND_URL);
      return tokenIn(mail, '/confirm-account-deletion');
    }

    it('deletes the account, its sessions and tokens for good after confirmation, and the address can register again', async () => {
      const user = await aLoggedInUser(t);
      const other = await login(t, user);
      const { id } = (
        await t
          .http()
          .get(`${API}/accounts/me`)
          .set(...bearer(user))
          .expect(200)
      ).body;
      await t
        .http()
        .post(`${API}/accounts/me/delete`)
        .set(...bearer(user))
        .send({ password: 'wrong password!' })
        .expect(problem('INVALID_PASSWORD'));
      const token = await requestDeletion(user);
      expect(await userRow(id)).toBeDefined(); // nothing deleted yet
      await t
        .http()
        .get(`${API}/accounts/me`)
        .set(...bearer(user))
        .expect(200);

      await t.http().post(`${API}/accounts/delete/confirm`).send({ token }).expect(200);
      expect(await userRow(id)).toBeUndefined();
      for (const table of ['sessions', 'one_time_tokens']) {
        const [{ count }] = await t.db.query(
          `SELECT count(*)::int AS count FROM ${table} WHERE user_id = $1`,
          [id],
        );
        expect(count).toBe(0);
      }
      await t
        .http()
        .get(`${API}/accounts/me`)
        .set(...bearer(user))
        .expect(401);
      await t
        .http()
        .get(`${API}/accounts/me`)
        .set(...bearer(other))
        .expect(401);
      await t
        .http()
        .post(`${API}/auth/refresh`)
        .send({ refreshToken: other.refreshToken })
        .expect(401);
      await t
        .http()
        .post(`${API}/auth/login`)
        .send({ email: user.email, password: user.password })
        .expect(401);
      expect((await mailWithSubject(user.email, 'Your account was deleted')).text).toMatch(
        /deleted/,
      );
      await t.http().post(`${API}/accounts/delete/confirm`).send({ token }).expect(400);

      const again = await aUser(t, { email: user.email, password: A_PASSWORD });
      const session = await login(t, again);
      const me = await t
        .http()
        .get(`${API}/accounts/me`)
        .set(...bearer(session))
        .expect(200);
      expect(me.body.id).not.toBe(id);
    });

    it('deletes once when the link is used several times at once', async () => {
      const user = await aLoggedInUser(t);
      const token = await requestDeletion(user);
      const results = await Promise.all(
        [1, 2, 3].map(() => t.http().post(`${API}/accounts/delete/confirm`).send({ token })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    });

    it('refuses an expired link and one made before a password change', async () => {
      const user = await aLoggedInUser(t);
      const expired = await requestDeletion(user);
      await t.db.query(
        `UPDATE one_time_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
        [sha256(expired)],
      );
      await t
        .http()
        .post(`${API}/accounts/delete/confirm`)
        .send({ token: expired })
        .expect(problem('TOKEN_EXPIRED'));
      const stale = await requestDeletion(user);
      await t
        .http()
        .post(`${API}/accounts/me/password`)
        .set(...bearer(user))
        .send({ currentPassword: user.password, newPassword: 'a brand new passphrase' })
        .expect(200);
      await t
        .http()
        .post(`${API}/accounts/delete/confirm`)
        .send({ token: stale })
        .expect(problem('TOKEN_INVALID'));
      await login(t, { email: user.email, password: 'a brand new passphrase' });
    });

    it('refuses tokens of other purposes at every confirmation route', async () => {
      const user = await aLoggedInUser(t);
      const deletion = await requestDeletion(user);
      await t
        .http()
        .post(`${API}/accounts/email/confirm`)
        .send({ token: deletion })
        .expect(problem('TOKEN_INVALID'));
      await t
        .http()
        .post(`${API}/auth/reset-password`)
        .send({ token: deletion, newPassword: 'a brand new passphrase' })
        .expect(problem('TOKEN_INVALID'));
      await t.http().post(`${API}/auth/verify-email`).send({ token: deletion }).expect(400);
      const change = await requestEmailChange(user, anEmail());
      await t
        .http()
        .post(`${API}/accounts/delete/confirm`)
        .send({ token: change })
        .expect(problem('TOKEN_INVALID'));
    });
  });
});

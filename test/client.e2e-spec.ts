import { createAccountsClient } from '../clients/typescript/index.js';
import { A_PASSWORD, anEmail } from './support/factories.js';
import { tokenIn } from './support/mailbox.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The whole journey of an SPA, through the typed client generated from openapi.json. */
describe('the typed client', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ACCESS_TOKEN_TTL: '2s' });
  });
  afterAll(() => t.close());

  it('registers, verifies, logs in, refreshes on 401, edits the profile, changes the password and logs out', async () => {
    const { api, tokens } = createAccountsClient(t.url);
    const email = anEmail('client');

    const registered = await api.POST('/api/v1/auth/register', {
      body: { email, password: A_PASSWORD, displayName: 'Client' },
    });
    expect(registered.response.status).toBe(202);
    const token = tokenIn(await t.mailbox.waitFor(email), '/verify-email');
    expect((await api.POST('/api/v1/auth/verify-email', { body: { token } })).response.status).toBe(
      200,
    );

    const wrong = await api.POST('/api/v1/auth/login', {
      body: { email, password: 'not the password' },
    });
    expect(wrong.response.status).toBe(401);
    expect(wrong.error).toMatchObject({ code: 'INVALID_CREDENTIALS' });

    const { data: pair } = await api.POST('/api/v1/auth/login', {
      body: { email, password: A_PASSWORD },
    });
    expect(pair?.tokenType).toBe('Bearer');
    tokens.set(pair);

    const me = await api.GET('/api/v1/accounts/me');
    expect(me.data).toMatchObject({ email, displayName: 'Client', emailVerified: true });

    // the access token expires; the client refreshes once and retries, the caller sees a 200
    await new Promise((r) => setTimeout(r, 2_100));
    const patched = await api.PATCH('/api/v1/accounts/me', { body: { displayName: 'Renamed' } });
    expect(patched.response.status).toBe(200);
    expect(patched.data?.displayName).toBe('Renamed');
    expect(tokens.get()?.refreshToken).not.toBe(pair?.refreshToken);

    const sessions = await api.GET('/api/v1/accounts/me/sessions');
    expect(sessions.data?.filter((s) => s.current)).toHaveLength(1);

    const changed = await api.POST('/api/v1/accounts/me/password', {
      body: { currentPassword: A_PASSWORD, newPassword: 'a brand new passphrase' },
    });
    expect(changed.response.status).toBe(200);

    expect((await api.POST('/api/v1/auth/logout')).response.status).toBe(204);
    const after = await api.GET('/api/v1/accounts/me');
    expect(after.response.status).toBe(401); // the refresh token died with the session too
  });
});

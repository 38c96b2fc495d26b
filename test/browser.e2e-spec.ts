import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { API, A_PASSWORD, anEmail, login } from './support/factories.js';
import { freePort } from './support/server-process.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = 'test/artifacts';

/**
 * A person in a browser: Swagger UI with a token, and register → dev mailbox → verify page →
 * login with nothing but the service. Needs Debian's chromium (.ci/run installs it); skipped
 * without it. Screenshots of each step go to test/artifacts/ (not committed).
 */
(existsSync(CHROMIUM) ? describe : describe.skip)('in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) =>
    page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const port = await freePort();
    // no SMTP_URL and no FRONTEND_URL: the dev mailbox and the built-in pages are on
    t = await startTestApp({
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: '',
      FRONTEND_URL: '',
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  beforeEach(async () => {
    page = await browser.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
  });
  afterEach(() => page.close());
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('registers, opens the mail in /dev/mail, confirms on the verify page, then logs in', async () => {
    const email = anEmail('browser');
    await t.http().post(`${API}/auth/register`).send({ email, password: A_PASSWORD }).expect(202);
    await t.mailIdle();

    await page.goto(`${t.url}/dev/mail`);
    await shot('1-dev-mailbox');
    const link = page
      .locator('tr', { hasText: email })
      .locator('pre a[href*="/verify-email?token="]');
    await link.click();
    await page.waitForURL('**/verify-email');
    expect(page.url()).not.toContain('token='); // stripped from the address bar
    await shot('2-verify-page');
    // opening the page changed nothing
    await t.http().post(`${API}/auth/login`).send({ email, password: A_PASSWORD }).expect(403);

    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByRole('status').filter({ hasText: 'confirmed' }).waitFor();
    await shot('3-verified');
    await login(t, { email, password: A_PASSWORD });
  });

  it('shows an expired or used link in words and offers a new one', async () => {
    await page.goto(`${t.url}/verify-email?token=${'x'.repeat(43)}`);
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByRole('status').filter({ hasText: 'not valid' }).waitFor();
    await page.getByRole('button', { name: 'Send me a new link' }).waitFor();
    await shot('4-invalid-link');
  });

  it('authorises Swagger UI with a token and calls GET /accounts/me', async () => {
    const email = anEmail('swagger');
    await t.http().post(`${API}/auth/register`).send({ email, password: A_PASSWORD }).expect(202);
    await t.mailIdle();
    await page.goto(`${t.url}/dev/mail`);
    await page
      .locator('tr', { hasText: email })
      .locator('pre a[href*="/verify-email?token="]')
      .click();
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByRole('status').filter({ hasText: 'confirmed' }).waitFor();
    const { accessToken } = await login(t, { email, password: A_PASSWORD });

    await page.goto(`${t.url}/docs`);
    await page.locator('.swagger-ui .btn.authorize').click();
    await page.locator('.modal-ux input[type=text]').fill(accessToken);
    await page.locator('.modal-ux .auth-btn-wrapper .authorize').click();
    await page.locator('.modal-ux .btn-done').click();
    await shot('5-swagger-authorised');
    await page.locator('#operations-accounts-getMe .opblock-summary').click();
    await page.locator('#operations-accounts-getMe .try-out__btn').click();
    await page.locator('#operations-accounts-getMe .execute').click();
    const body = page
      .locator('#operations-accounts-getMe .live-responses-table .response-col_description pre')
      .first();
    await body.waitFor();
    expect(await body.textContent()).toContain(email);
    await shot('6-swagger-get-me');
  });
});

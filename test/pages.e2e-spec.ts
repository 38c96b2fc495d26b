import { sha256 } from '../src/common/crypto.js';
import { API, A_PASSWORD, anEmail } from './support/factories.js';
import { tokenIn } from './support/mailbox.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const PAGES = [
  '/verify-email',
  '/reset-password',
  '/confirm-email-change',
  '/confirm-account-deletion',
];

describe('built-in pages and dev mailbox', () => {
  describe('without FRONTEND_URL', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ FRONTEND_URL: '', PUBLIC_URL: 'http://127.0.0.1:1' });
    });
    afterAll(() => t.close());

    it.each(PAGES)('serves %s as a small page with a strict CSP and no referrer', async (path) => {
      const res = await t
        .http()
        .get(`${path}?token=${'a'.repeat(43)}`)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.headers['content-security-policy']).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('<script src="/assets/token-page.js"></script>');
      expect(res.text).not.toContain('a'.repeat(43)); // the token never goes into the HTML
      expect(res.text).not.toMatch(/<script>|style=|https?:\/\//); // nothing inline, nothing from elsewhere
    });

    it('changes nothing when a mail link is opened with GET or HEAD (mail scanners do)', async () => {
      const email = anEmail();
      await t.http().post(`${API}/auth/register`).send({ email, password: A_PASSWORD }).expect(202);
      const link = new URL(
        (await t.mailbox.waitFor(email)).text.match(
          /http:\/\/127\.0\.0\.1:1\/verify-email\?token=\S+/,
        )![0],
      );
      const token = link.searchParams.get('token')!;
      await t.http().head(`${link.pathname}${link.search}`).expect(200);
      for (let i = 0; i < 3; i++) await t.http().get(`${link.pathname}${link.search}`).expect(200);
      const [row] = await t.db.query(`SELECT used_at FROM one_time_tokens WHERE token_hash = $1`, [
        sha256(token),
      ]);
      expect(row.used_at).toBeNull();
      await t.http().post(`${API}/auth/verify-email`).send({ token }).expect(200);
    });

    it('serves the page script and style from its own origin', async () => {
      const js = await t.http().get('/assets/token-page.js').expect(200);
      expect(js.headers['content-type']).toMatch(/^text\/javascript/);
      expect(js.text).toContain("history.replaceState(null, '', location.pathname)");
      const css = await t.http().get('/assets/pages.css').expect(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
    });

    it('lists the mails sent in /dev/mail when SMTP_URL is not set', async () => {
      const dev = await startTestApp({ SMTP_URL: '' });
      try {
        const email = anEmail('devmail');
        await dev
          .http()
          .post(`${API}/auth/register`)
          .send({ email, password: A_PASSWORD })
          .expect(202);
        await dev.mailIdle();
        const list = await dev.http().get('/dev/mail').expect(200);
        expect(list.text).toContain(email);
        const id = list.text.match(/href="\/dev\/mail\/([0-9a-f-]{36})"/)![1];
        const mail = await dev.http().get(`/dev/mail/${id}`).expect(200);
        expect(mail.headers['content-security-policy']).toMatch(/^sandbox/);
        expect(mail.text).toContain('verify-email?token');
        expect(
          tokenIn({ text: list.text.replace(/<[^>]+>/g, ' ') } as never, '/verify-email'),
        ).toMatch(/^[\w-]{43}$/);
      } finally {
        await dev.close();
      }
    });
  });

  it('mounts neither the pages when FRONTEND_URL is set nor /dev/mail when SMTP_URL is set', async () => {
    const t = await startTestApp(); // FRONTEND_URL and SMTP_URL set by the harness
    try {
      await t.http().get('/verify-email?token=x').expect(404);
      await t.http().get('/dev/mail').expect(404);
    } finally {
      await t.close();
    }
  });

  it('never mounts /dev/mail in production', async () => {
    const t = await startTestApp({ NODE_ENV: 'production', SMTP_URL: '' });
    try {
      await t.http().get('/dev/mail').expect(404);
    } finally {
      await t.close();
    }
  });
});

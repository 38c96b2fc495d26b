import { OutboxRepository } from '../src/mail/outbox.repository.js';
import { API, A_PASSWORD, anEmail } from './support/factories.js';
import { Mailbox } from './support/mailbox.js';
import { startTestApp, type TestApp } from './support/test-app.js';

async function until<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the mail outbox', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const rowFor = async (email: string) =>
    (
      await t.db.query(
        `SELECT attempts, sent_at, failed_at, payload, last_error FROM outbox_mails WHERE recipient = $1`,
        [email],
      )
    )[0];

  it('keeps the mail while SMTP is down, answers at once, and sends it exactly once when SMTP is back', async () => {
    await t.mailbox.stop();
    const email = anEmail('outage');
    try {
      const started = Date.now();
      await t.http().post(`${API}/auth/register`).send({ email, password: A_PASSWORD }).expect(202);
      expect(Date.now() - started).toBeLessThan(1_000);
      const failing = await until(async () => {
        const row = await rowFor(email);
        return row?.attempts >= 1 && row.last_error ? row : undefined;
      });
      expect(failing.sent_at).toBeNull();
      expect(failing.payload).not.toBeNull();
    } finally {
      await t.mailbox.start(); // same port
    }
    await t.mailbox.waitFor(email);
    const sent = await until(async () => {
      const row = await rowFor(email);
      return row?.sent_at ? row : undefined;
    });
    expect(sent.payload).toBeNull(); // the link (a live token) is not kept
    await new Promise((r) => setTimeout(r, 500));
    expect(t.mailbox.to(email)).toHaveLength(1);
  });

  it('sends nothing for a change that rolled back', async () => {
    const email = anEmail('rollback');
    await expect(
      t.db.transaction(async (tx) => {
        await t.app.get(OutboxRepository).enqueue(tx, email, 'account-exists', {});
        throw new Error('the change fails after queueing its mail');
      }),
    ).rejects.toThrow('the change fails');
    await t.http().post(`${API}/auth/register`).send({ email, password: 'short' }).expect(400);
    await t.mailIdle();
    await new Promise((r) => setTimeout(r, 300));
    expect(await rowFor(email)).toBeUndefined();
    expect(t.mailbox.to(email)).toHaveLength(0);
  });

  it('marks a mail that keeps failing as failed after MAIL_MAX_ATTEMPTS, and stops retrying it', async () => {
    const down = await new Mailbox().start();
    await down.stop();
    const flaky = await startTestApp({ MAIL_MAX_ATTEMPTS: '2', MAIL_RETRY_DELAY: '100ms' }, down);
    try {
      const email = anEmail('doomed');
      await flaky
        .http()
        .post(`${API}/auth/register`)
        .send({ email, password: A_PASSWORD })
        .expect(202);
      const row = await until(async () => {
        const [r] = await flaky.db.query(
          `SELECT attempts, failed_at, payload, last_error FROM outbox_mails WHERE recipient = $1`,
          [email],
        );
        return r?.failed_at ? r : undefined;
      });
      expect(row).toMatchObject({ attempts: 2, payload: null, last_error: expect.any(String) });
      await down.start();
      await new Promise((r) => setTimeout(r, 600));
      expect(down.to(email)).toHaveLength(0);
    } finally {
      await flaky.close();
      await down.stop();
    }
  });
});

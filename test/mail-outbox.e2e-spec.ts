import { MailSender } from '../src/mail/mail-sender.js';
import { OutboxRepository } from '../src/mail/outbox.repository.js';
import { scratchDatabase, type ScratchDatabase } from './support/databases.js';
import { API, A_PASSWORD, anEmail } from './support/factories.js';
import { Mailbox } from './support/mailbox.js';
import { onPostgres, startTestApp, type TestApp } from './support/test-app.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 50 ms until it returns something truthy, and returns that. */
async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

interface OutboxRow {
  id: string;
  template: string;
  attempts: number;
  sent_at: Date | null;
  failed_at: Date | null;
  payload: string | null;
  last_error: string | null;
}

async function outboxRows(t: TestApp, recipient: string): Promise<OutboxRow[]> {
  return t.db.query<OutboxRow[]>(
    `SELECT id, template, attempts, sent_at, failed_at, payload, last_error
       FROM outbox_mails WHERE recipient = $1 ORDER BY created_at`,
    [recipient],
  );
}

async function outboxRow(t: TestApp, recipient: string): Promise<OutboxRow | undefined> {
  const rows = await outboxRows(t, recipient);
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0];
}

async function register(t: TestApp, email: string): Promise<number> {
  const started = Date.now();
  await t.http().post(`${API}/auth/register`).send({ email, password: A_PASSWORD }).expect(202);
  return Date.now() - started;
}

/**
 * The transactional outbox over real SMTP. Every app here has a database of its own (a scratch
 * database on PostgreSQL, an in-memory one on PGlite): the outbox worker of any instance on a
 * database delivers every due mail of that database, so an app of another test file (whose
 * mailbox is up) must not be able to pick these mails up.
 */
describe('the mail outbox', () => {
  const databases: ScratchDatabase[] = [];
  let t: TestApp;

  async function ownDatabase(): Promise<string> {
    const database = await scratchDatabase();
    databases.push(database);
    return database.url;
  }

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_URL: await ownDatabase() });
  });

  afterAll(async () => {
    await t?.close();
    for (const database of databases.splice(0)) await database.drop();
  });

  it('answers at once while SMTP is down, keeps retrying, and sends the mail exactly once when SMTP is back', async () => {
    const email = anEmail('outage');
    const port = t.mailbox.port;
    await t.mailbox.stop();
    try {
      expect(await register(t, email)).toBeLessThan(1_000);
      const queued = await outboxRow(t, email);
      expect(queued).toMatchObject({ template: 'verify-email', sent_at: null, failed_at: null });
      expect(queued!.payload).not.toBeNull();

      const failing = await until('a failed attempt is recorded', async () => {
        const row = await outboxRow(t, email);
        return row && row.attempts >= 1 && row.last_error ? row : undefined;
      });
      expect(failing).toMatchObject({ sent_at: null, failed_at: null });
      expect(failing.last_error).toMatch(/ECONNREFUSED/);
      expect(failing.payload).not.toBeNull();
      expect(t.mailbox.to(email)).toHaveLength(0);
    } finally {
      await t.mailbox.start();
    }
    expect(t.mailbox.port).toBe(port);

    const mail = await t.mailbox.waitFor(email);
    expect(mail.subject).toBe('Confirm your email address');
    const sent = await until('the mail is marked sent', async () => {
      const row = await outboxRow(t, email);
      return row?.sent_at ? row : undefined;
    });
    expect(sent).toMatchObject({ failed_at: null, payload: null, last_error: null });

    // a few more poll rounds (MAIL_POLL_INTERVAL is 200ms): still one mail, still one row
    await sleep(600);
    await t.mailIdle();
    expect(t.mailbox.to(email)).toHaveLength(1);
    expect(await outboxRows(t, email)).toHaveLength(1);
  });

  it('sends nothing for a change that rolled back, nor for a registration that fails validation', async () => {
    const email = anEmail('rollback');
    const [{ before }] = await t.db.query(`SELECT count(*)::int AS before FROM outbox_mails`);

    await expect(
      t.db.transaction(async (tx) => {
        await t.app.get(OutboxRepository).enqueue(tx, email, 'account-exists', {});
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');

    const refused = await Promise.all([
      t.http().post(`${API}/auth/register`).send({ email }),
      t.http().post(`${API}/auth/register`).send({ email, password: A_PASSWORD, admin: true }),
      t.http().post(`${API}/auth/register`).send({ email, password: 'short' }),
    ]);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual([
      [400, 'VALIDATION_FAILED'],
      [400, 'VALIDATION_FAILED'],
      [400, 'WEAK_PASSWORD'],
    ]);

    await t.mailIdle();
    await sleep(500); // more than two poll rounds
    await t.mailIdle();
    expect(await outboxRows(t, email)).toEqual([]);
    const [{ after }] = await t.db.query(`SELECT count(*)::int AS after FROM outbox_mails`);
    expect(after).toBe(before);
    expect(t.mailbox.to(email)).toHaveLength(0);
  });

  it('marks a mail that keeps failing as failed after MAIL_MAX_ATTEMPTS and never sends it', async () => {
    const down = await new Mailbox().start(); // takes a free port, then frees it: SMTP is down
    await down.stop();
    let started: TestApp | undefined;
    try {
      const flaky = (started = await startTestApp(
        { DATABASE_URL: await ownDatabase(), MAIL_MAX_ATTEMPTS: '2', MAIL_RETRY_DELAY: '100ms' },
        down,
      ));
      const email = anEmail('doomed');
      await register(flaky, email);

      const failed = await until('the mail is marked failed', async () => {
        const row = await outboxRow(flaky, email);
        return row?.failed_at ? row : undefined;
      });
      expect(failed).toMatchObject({
        template: 'verify-email',
        attempts: 2,
        sent_at: null,
        payload: null,
        last_error: expect.stringMatching(/ECONNREFUSED/),
      });

      await down.start();
      await sleep(700); // several poll rounds and more than the retry delay
      await flaky.mailIdle();
      expect(down.to(email)).toHaveLength(0);
      expect(down.mails).toHaveLength(0);
      expect(await outboxRow(flaky, email)).toMatchObject({ attempts: 2, sent_at: null });
    } finally {
      await started?.close();
      await down.stop();
    }
  });

  (onPostgres ? it : it.skip)(
    'sends each mail exactly once when two instances deliver from one database',
    async () => {
      const env = { DATABASE_URL: await ownDatabase() };
      const mailbox = await new Mailbox().start();
      const instances: TestApp[] = [];
      try {
        const a = await startTestApp(env, mailbox);
        instances.push(a);
        const b = await startTestApp(env, mailbox);
        instances.push(b);
        // counts the deliveries of each instance
        const deliveries = [a, b].map((instance) => {
          const sender = instance.app.get(MailSender);
          const send = sender.send.bind(sender);
          const counter = { count: 0 };
          sender.send = (...args) => {
            counter.count++;
            return send(...args);
          };
          return counter;
        });

        const emails = Array.from({ length: 20 }, (_, i) => anEmail(`pair${i}`));
        await Promise.all(emails.map((email, i) => register(i % 2 ? b : a, email)));

        for (const email of emails) await mailbox.waitFor(email);
        await sleep(1_000);
        await Promise.all([a.mailIdle(), b.mailIdle()]);

        const counts = Object.fromEntries(emails.map((e) => [e, mailbox.to(e).length]));
        expect(counts).toEqual(Object.fromEntries(emails.map((e) => [e, 1])));
        expect(mailbox.mails).toHaveLength(20);
        const rows = await a.db.query<
          Array<{ recipient: string; attempts: number; sent_at: Date | null }>
        >(`SELECT recipient, attempts, sent_at FROM outbox_mails`);
        expect(rows).toHaveLength(20);
        for (const row of rows) {
          expect(row).toMatchObject({ attempts: 1, sent_at: expect.any(Date) });
        }
        expect(deliveries[0].count + deliveries[1].count).toBe(20);
        // both workers took part, or this proved nothing about two of them
        expect(deliveries.map((d) => d.count > 0)).toEqual([true, true]);
      } finally {
        for (const instance of instances) await instance.close();
        await mailbox.stop();
      }
    },
  );
});

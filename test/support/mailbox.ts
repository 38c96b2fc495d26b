import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server for the tests: the service delivers to it over the network, and tests read
 * the parsed mails back. `stop()`/`start()` simulate an outage on the same port.
 */
export class Mailbox {
  readonly mails: ReceivedMail[] = [];
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
            this.mails.push({
              to: to?.value[0]?.address ?? '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              parsed,
            });
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Mails received so far by `address`. */
  to(address: string): ReceivedMail[] {
    return this.mails.filter((m) => m.to === address.toLowerCase());
  }

  /** Mails received so far by `address` with this subject. */
  withSubject(address: string, subject: string): ReceivedMail[] {
    return this.to(address).filter((m) => m.subject === subject);
  }

  /** Waits for the `n`-th mail (1-based) to `address` with this subject. */
  async waitForSubject(
    address: string,
    subject: string,
    n = 1,
    timeoutMs = 10_000,
  ): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mails = this.withSubject(address, subject);
      if (mails.length >= n) return mails[n - 1];
      if (Date.now() > deadline)
        throw new Error(`no mail #${n} "${subject}" to ${address} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Runs `action`, then waits for the next mail to `address` with this subject. */
  async nextAfter(
    address: string,
    subject: string,
    action: () => Promise<unknown>,
  ): Promise<ReceivedMail> {
    const seen = this.withSubject(address, subject).length;
    await action();
    return this.waitForSubject(address, subject, seen + 1);
  }

  /** Waits for the `n`-th mail (1-based) to `address`, and returns it. */
  async waitFor(address: string, n = 1, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const mails = this.to(address);
      if (mails.length >= n) return mails[n - 1];
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(
      `no mail #${n} to ${address} within ${timeoutMs} ms (got ${this.to(address).length})`,
    );
  }
}

/** The link of a mail pointing at `path` (e.g. `/verify-email`), as a URL. */
export function linkIn(mail: ReceivedMail, path: string): URL {
  const match = mail.text
    .match(/https?:\/\/\S+/g)
    ?.map((u) => new URL(u))
    .find((u) => u.pathname.endsWith(path));
  if (!match) throw new Error(`no ${path} link in mail "${mail.subject}":\n${mail.text}`);
  return match;
}

/** The token of the link to `path` in a mail, as a user following the link would get it. */
export function tokenIn(mail: ReceivedMail, path: string): string {
  const token = linkIn(mail, path).searchParams.get('token');
  if (!token) throw new Error(`the ${path} link has no token`);
  return token;
}

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { MailSender } from './mail-sender.js';
import { ClaimedMail, OutboxRepository } from './outbox.repository.js';

const BATCH = 10;
const MAX_BACKOFF_MS = 3_600_000;

/**
 * Delivers queued mails: woken after each commit that queued one, and polling as a safety net.
 * A failed send is retried with exponential backoff, and marked failed after MAIL_MAX_ATTEMPTS.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private rerun = false;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly sender: MailSender,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), this.config.mail.pollIntervalMs);
    this.timer.unref();
    this.kick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    this.sender.close(); // its pooled SMTP connections, once the last round is over
  }

  /** Starts a delivery round now, or right after the current one. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.rerun) {
        this.rerun = false;
        this.kick();
      }
    });
  }

  /** Resolves once no delivery round is running (used by tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        const batch = await this.outbox.claimDue(BATCH);
        for (const mail of batch) await this.deliver(mail);
        if (batch.length < BATCH || this.stopped) return;
      }
    } catch (error) {
      this.logger.warn(`outbox not reachable: ${String(error)}`);
    }
  }

  private async deliver(mail: ClaimedMail): Promise<void> {
    try {
      await this.sender.send(mail.recipient, mail.template, mail.payload);
      await this.outbox.markSent(mail.id);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (mail.attempts >= this.config.mail.maxAttempts) {
        await this.outbox.markFailed(mail.id, reason);
        this.logger.error(
          { mailId: mail.id, template: mail.template, attempts: mail.attempts, reason },
          'mail failed for good',
        );
        return;
      }
      const delay = Math.min(
        this.config.mail.retryDelayMs * 2 ** (mail.attempts - 1),
        MAX_BACKOFF_MS,
      );
      await this.outbox.markRetry(mail.id, delay, reason);
      this.logger.warn(
        {
          mailId: mail.id,
          template: mail.template,
          attempts: mail.attempts,
          retryInMs: delay,
          reason,
        },
        'mail not sent, will retry',
      );
    }
  }
}

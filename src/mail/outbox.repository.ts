import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../database/sql.js';
import { MailContext, MailTemplate } from './mail-templates.js';

export interface ClaimedMail {
  id: string;
  recipient: string;
  template: MailTemplate;
  payload: MailContext;
  attempts: number;
}

/** Marks a transaction that queued a mail, so the worker is woken when it commits. */
export const OUTBOX_DIRTY = 'outboxDirty';

/** How long a claimed mail stays with the instance that claimed it before another may retry it. */
const LEASE_SECONDS = 60;

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Queues a mail in the caller's transaction: it is sent only if that transaction commits. */
  async enqueue(
    tx: EntityManager,
    recipient: string,
    template: MailTemplate,
    context: MailContext,
  ): Promise<void> {
    await queryRows(
      tx,
      `INSERT INTO outbox_mails (recipient, template, payload) VALUES ($1, $2, $3)`,
      [recipient, template, JSON.stringify(context)],
    );
    if (tx.queryRunner) tx.queryRunner.data[OUTBOX_DIRTY] = true;
  }

  /**
   * Claims up to `limit` due mails for this instance. SKIP LOCKED and the lease make sure two
   * instances never claim the same mail at the same time.
   */
  async claimDue(limit: number): Promise<ClaimedMail[]> {
    const rows = await queryRows<Omit<ClaimedMail, 'payload'> & { payload: string }>(
      this.db,
      `UPDATE outbox_mails SET attempts = attempts + 1, locked_until = now() + make_interval(secs => $2)
        WHERE id IN (
          SELECT id FROM outbox_mails
           WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
             AND (locked_until IS NULL OR locked_until < now())
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
      RETURNING id, recipient, template, payload, attempts`,
      [limit, LEASE_SECONDS],
    );
    return rows.map((row) => ({ ...row, payload: JSON.parse(row.payload) as MailContext }));
  }

  /** Marks a mail sent and wipes its payload (it holds the link, hence a live token). */
  async markSent(id: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox_mails SET sent_at = now(), locked_until = NULL, payload = NULL, last_error = NULL WHERE id = $1`,
      [id],
    );
  }

  async markRetry(id: string, delayMs: number, error: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox_mails SET locked_until = NULL, last_error = $3,
              next_attempt_at = now() + make_interval(secs => $2) WHERE id = $1`,
      [id, delayMs / 1000, error.slice(0, 500)],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE outbox_mails SET failed_at = now(), locked_until = NULL, payload = NULL, last_error = $2 WHERE id = $1`,
      [id, error.slice(0, 500)],
    );
  }
}

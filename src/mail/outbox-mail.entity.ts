import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A mail waiting to be sent, written in the transaction of the change that caused it.
 * `payload` (the template context, links included) is wiped once the mail is
 * sent or has failed for good, so a live token does not outlive its delivery in the table.
 */
@Entity('outbox_mails')
@Index('outbox_mails_due_idx', ['nextAttemptAt'], {
  where: 'sent_at IS NULL AND failed_at IS NULL',
})
export class OutboxMail {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'recipient', type: 'varchar', length: 254 })
  recipient!: string;

  @Column({ type: 'varchar', length: 64 })
  template!: string;

  @Column({ type: 'text', nullable: true })
  payload!: string | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

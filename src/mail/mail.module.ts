import { Module, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { DevMailbox } from './dev-mailbox.js';
import { MailListener } from './mail.listener.js';
import { MailSender } from './mail-sender.js';
import { OUTBOX_DIRTY, OutboxRepository } from './outbox.repository.js';
import { OutboxWorker } from './outbox.worker.js';

/**
 * Mail: templates, the transactional outbox and its delivery worker. Other modules never call it;
 * it listens to their domain events.
 */
@Module({
  providers: [OutboxRepository, OutboxWorker, MailSender, MailListener, DevMailbox],
  exports: [OutboxWorker, DevMailbox],
})
export class MailModule implements OnModuleInit, EntitySubscriberInterface {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly worker: OutboxWorker,
  ) {}

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** Wakes the worker as soon as a transaction that queued a mail has committed. */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    if (event.queryRunner.data?.[OUTBOX_DIRTY]) {
      event.queryRunner.data[OUTBOX_DIRTY] = false;
      this.worker.kick();
    }
  }
}

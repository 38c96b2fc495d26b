import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config.js';
import {
  AccountDeleted,
  AccountDeletionRequested,
  AccountRegistered,
  EmailChanged,
  EmailChangeRequested,
  PasswordChanged,
  PasswordReset,
  PasswordResetRequested,
  RegistrationAttempted,
  VerificationRequested,
} from '../common/events.js';
import { OutboxRepository } from './outbox.repository.js';

const STRICT = { suppressErrors: false } as const;

function humanDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${Math.round(ms / 1000)} seconds`;
}

/**
 * Turns domain events into queued mails, in the transaction of the event. Links always point at
 * FRONTEND_URL, never at a host taken from the request.
 */
@Injectable()
export class MailListener {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly config: AppConfig,
  ) {}

  private link(path: string, token: string): string {
    return `${this.config.frontendUrl}${path}?token=${encodeURIComponent(token)}`;
  }

  @OnEvent(AccountRegistered.event, STRICT)
  @OnEvent(VerificationRequested.event, STRICT)
  async onVerificationNeeded(event: AccountRegistered | VerificationRequested): Promise<void> {
    await this.outbox.enqueue(event.tx, event.account.email, 'verify-email', {
      displayName: event.account.displayName,
      link: this.link('/verify-email', event.verificationToken),
      validFor: humanDuration(this.config.tokenTtlMs.verify_email),
    });
  }

  @OnEvent(RegistrationAttempted.event, STRICT)
  async onRegistrationAttempted(event: RegistrationAttempted): Promise<void> {
    await this.outbox.enqueue(event.tx, event.account.email, 'account-exists', {
      displayName: event.account.displayName,
    });
  }

  @OnEvent(PasswordResetRequested.event, STRICT)
  async onPasswordResetRequested(event: PasswordResetRequested): Promise<void> {
    await this.outbox.enqueue(event.tx, event.account.email, 'reset-password', {
      displayName: event.account.displayName,
      link: this.link('/reset-password', event.resetToken),
      validFor: humanDuration(this.config.tokenTtlMs.reset_password),
    });
  }

  @OnEvent(PasswordChanged.event, STRICT)
  async onPasswordChanged(event: PasswordChanged): Promise<void> {
    await this.outbox.enqueue(event.tx, event.account.email, 'password-changed', {
      displayName: event.account.displayName,
      how: 'changed',
      sessions: 'Every other device was signed out.',
    });
  }

  @OnEvent(PasswordReset.event, STRICT)
  async onPasswordReset(event: PasswordReset): Promise<void> {
    await this.outbox.enqueue(event.tx, event.account.email, 'password-changed', {
      displayName: event.account.displayName,
      how: 'reset with a link sent to this address',
      sessions: 'Every device was signed out.',
    });
  }

  @OnEvent(EmailChangeRequested.event, STRICT)
  async onEmailChangeRequested(event: EmailChangeRequested): Promise<void> {
    const { account, newEmail } = event;
    await this.outbox.enqueue(event.tx, newEmail, 'confirm-email-change', {
      displayName: account.displayName,
      newEmail,
      link: this.link('/confirm-email-change', event.confirmationToken),
      validFor: humanDuration(this.config.tokenTtlMs.change_email),
    });
    await this.outbox.enqueue(event.tx, account.email, 'email-change-requested', {
      displayName: account.displayName,
      newEmail,
    });
  }

  @OnEvent(EmailChanged.event, STRICT)
  async onEmailChanged(event: EmailChanged): Promise<void> {
    await this.outbox.enqueue(event.tx, event.oldEmail, 'email-changed', {
      displayName: event.account.displayName,
      newEmail: event.account.email,
    });
  }

  @OnEvent(AccountDeletionRequested.event, STRICT)
  async onAccountDeletionRequested(event: AccountDeletionRequested): Promise<void> {
    await this.outbox.enqueue(event.tx, event.account.email, 'confirm-account-deletion', {
      displayName: event.account.displayName,
      link: this.link('/confirm-account-deletion', event.confirmationToken),
      validFor: humanDuration(this.config.tokenTtlMs.delete_account),
    });
  }

  @OnEvent(AccountDeleted.event, STRICT)
  async onAccountDeleted(event: AccountDeleted): Promise<void> {
    await this.outbox.enqueue(event.tx, event.account.email, 'account-deleted', {
      displayName: event.account.displayName,
    });
  }
}

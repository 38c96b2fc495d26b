import type { EntityManager } from 'typeorm';

/**
 * Domain events. Each is published inside the transaction of the change it reports, and carries
 * that transaction as `tx`: a listener that writes with `tx` (the mail outbox does) commits or
 * rolls back together with the change; a listener that throws rolls the change back.
 * Listen with `@OnEvent(AccountRegistered.event, { suppressErrors: false })`.
 */
export abstract class DomainEvent {
  constructor(readonly tx: EntityManager) {}
}

export interface AccountRef {
  id: string;
  email: string;
  displayName: string | null;
}

/** A new account was created; `verificationToken` is the raw token for the verification mail. */
export class AccountRegistered extends DomainEvent {
  static readonly event = 'account.registered';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
    readonly verificationToken: string,
  ) {
    super(tx);
  }
}

/** Someone tried to register an address that already has an account; its owner is told. */
export class RegistrationAttempted extends DomainEvent {
  static readonly event = 'account.registration_attempted';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
  ) {
    super(tx);
  }
}

/** A new verification link was requested for an unverified account. */
export class VerificationRequested extends DomainEvent {
  static readonly event = 'account.verification_requested';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
    readonly verificationToken: string,
  ) {
    super(tx);
  }
}

/** The account's address was verified. */
export class EmailVerified extends DomainEvent {
  static readonly event = 'account.verified';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
  ) {
    super(tx);
  }
}

/** A password reset was requested for an existing account; `resetToken` goes into the mail. */
export class PasswordResetRequested extends DomainEvent {
  static readonly event = 'password.reset_requested';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
    readonly resetToken: string,
  ) {
    super(tx);
  }
}

/** The account holder changed their password while signed in; other sessions were revoked. */
export class PasswordChanged extends DomainEvent {
  static readonly event = 'password.changed';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
  ) {
    super(tx);
  }
}

/** The password was reset with a mailed token; every session was revoked. */
export class PasswordReset extends DomainEvent {
  static readonly event = 'password.reset';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
  ) {
    super(tx);
  }
}

/** An email change was requested; `confirmationToken` goes to `newEmail`, a notice to the current address. */
export class EmailChangeRequested extends DomainEvent {
  static readonly event = 'account.email_change_requested';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
    readonly newEmail: string,
    readonly confirmationToken: string,
  ) {
    super(tx);
  }
}

/** The account's address changed from `oldEmail` to `account.email` (now verified). */
export class EmailChanged extends DomainEvent {
  static readonly event = 'account.email_changed';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
    readonly oldEmail: string,
  ) {
    super(tx);
  }
}

/** Deletion was requested; `confirmationToken` goes to the account's address. */
export class AccountDeletionRequested extends DomainEvent {
  static readonly event = 'account.deletion_requested';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
    readonly confirmationToken: string,
  ) {
    super(tx);
  }
}

/** The account, its sessions and its tokens were removed for good. */
export class AccountDeleted extends DomainEvent {
  static readonly event = 'account.deleted';
  constructor(
    tx: EntityManager,
    readonly account: AccountRef,
  ) {
    super(tx);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { OneTimeTokensRepository } from '../auth/one-time-tokens.repository.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { PasswordPolicy } from '../auth/password-policy.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { AuthUser } from '../common/decorators/current-user.decorator.js';
import { DomainException } from '../common/errors/domain.exception.js';
import { EventPublisher } from '../common/event-publisher.js';
import {
  type AccountRef,
  AccountDeleted,
  AccountDeletionRequested,
  EmailChanged,
  EmailChangeRequested,
  PasswordChanged,
} from '../common/events.js';
import { message, MessageDto } from '../common/message.dto.js';
import { RateLimits } from '../rate-limit/rate-limits.service.js';
import { Credentials, UsersRepository } from '../users/users.repository.js';
import { TOKEN_PURPOSES } from '../auth/one-time-token.entity.js';
import { AccountDto, toAccountDto } from './dto/account.dto.js';
import { ChangeEmailDto } from './dto/change-email.dto.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { DeleteAccountDto } from './dto/delete-account.dto.js';
import { UpdateAccountDto } from './dto/update-account.dto.js';
import { SessionDto, toSessionDto } from './dto/session.dto.js';

/** What events carry of an account: never its password hash. */
function accountRef({ id, email, displayName }: AccountRef): AccountRef {
  return { id, email, displayName };
}

@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: OneTimeTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly events: EventPublisher,
    private readonly limits: RateLimits,
  ) {}

  /** The account as the session check read it: GET /accounts/me costs no second query. */
  getMe(me: AuthUser): AccountDto {
    return toAccountDto(me.account);
  }

  async updateMe(me: AuthUser, dto: UpdateAccountDto): Promise<AccountDto> {
    const user =
      dto.displayName === undefined
        ? me.account
        : await this.users.updateDisplayName(me.userId, dto.displayName);
    if (!user) throw new DomainException('UNAUTHORIZED'); // deleted since the session check
    return toAccountDto(user);
  }

  /**
   * Changes the password after checking the current one. Every other session ends at once (the
   * caller's stays), pending reset links die, and the account's address gets a notice.
   */
  async changePassword(me: AuthUser, dto: ChangePasswordDto): Promise<MessageDto> {
    this.policy.assertLength(dto.newPassword);
    const user = await this.reauthenticate(me, dto.currentPassword);
    if (dto.newPassword === dto.currentPassword) {
      throw new DomainException(
        'WEAK_PASSWORD',
        'The new password must differ from the current one.',
      );
    }
    this.policy.assertAcceptable(dto.newPassword, user);
    const passwordHash = await this.hasher.hash(dto.newPassword);
    await this.db.transaction(async (tx) => {
      await this.users.updatePasswordHash(user.id, passwordHash, tx);
      await this.sessions.revokeSessionsOf(user.id, me.sessionId, tx);
      // pending reset, email-change and deletion links were authorised by the old password
      await this.tokens.revokeAll(tx, user.id, [
        'reset_password',
        'change_email',
        'delete_account',
      ]);
      await this.events.publish(new PasswordChanged(tx, accountRef(user)));
    });
    return message('Your password was changed. Your other devices were signed out.');
  }

  /**
   * Starts an email change: a confirmation link goes to the new address and a notice to the
   * current one, which stays in force until the link is confirmed.
   */
  async requestEmailChange(me: AuthUser, dto: ChangeEmailDto): Promise<MessageDto> {
    const user = await this.reauthenticate(me, dto.password);
    await this.limits.consumeMail('change_email', dto.newEmail);
    if (dto.newEmail === user.email) {
      throw new DomainException('VALIDATION_FAILED', 'The new address is the current one.', [
        { field: 'newEmail', message: 'newEmail must differ from the current address' },
      ]);
    }
    await this.db.transaction(async (tx) => {
      if (await this.users.isTaken(tx, dto.newEmail, user.id))
        throw new DomainException('EMAIL_TAKEN');
      const token = await this.tokens.issue(tx, user.id, 'change_email', dto.newEmail);
      await this.events.publish(
        new EmailChangeRequested(tx, accountRef(user), dto.newEmail, token),
      );
    });
    return message(
      'Confirm the change with the link sent to the new address. Until then, the current address stays in force.',
    );
  }

  /**
   * Confirms an email change with the mailed token. The address must still be free: if another
   * account took it meanwhile, EMAIL_TAKEN and nothing changes (the token stays unused).
   */
  async confirmEmailChange(token: string): Promise<MessageDto> {
    await this.db.transaction(async (tx) => {
      const { userId, email: newEmail } = await this.tokens.redeem(tx, token, 'change_email');
      const before = await this.users.findCredentials({ id: userId }, tx);
      if (!before) throw new DomainException('TOKEN_INVALID');
      if (!(await this.users.changeEmail(tx, userId, newEmail)))
        throw new DomainException('EMAIL_TAKEN');
      await this.tokens.revokeAll(tx, userId, TOKEN_PURPOSES);
      const account = { id: userId, email: newEmail, displayName: before.displayName };
      await this.events.publish(new EmailChanged(tx, account, before.email));
    });
    return message('Your email address was changed. Sign in with the new address from now on.');
  }

  /** Starts a deletion: a confirmation link goes to the account's address; nothing is deleted yet. */
  async requestDeletion(me: AuthUser, dto: DeleteAccountDto): Promise<MessageDto> {
    const user = await this.reauthenticate(me, dto.password);
    await this.limits.consumeMail('delete', user.email);
    await this.db.transaction(async (tx) => {
      const token = await this.tokens.issue(tx, user.id, 'delete_account', user.email);
      await this.events.publish(new AccountDeletionRequested(tx, accountRef(user), token));
    });
    return message('Confirm the deletion with the link sent to your address.');
  }

  /** Deletes the account for good, with its sessions and tokens; a goodbye mail is sent. */
  async confirmDeletion(token: string): Promise<MessageDto> {
    await this.db.transaction(async (tx) => {
      const { userId, email } = await this.tokens.redeem(tx, token, 'delete_account');
      const user = await this.users.findCredentials({ id: userId }, tx);
      if (!user || user.email !== email) throw new DomainException('TOKEN_INVALID');
      await this.users.delete(tx, userId);
      await this.events.publish(new AccountDeleted(tx, accountRef(user)));
    });
    return message('Your account was deleted.');
  }

  /** The caller's account after checking its password (INVALID_PASSWORD otherwise). */
  private async reauthenticate(me: AuthUser, password: string): Promise<Credentials> {
    const user = await this.users.findCredentials({ id: me.userId });
    if (!user) throw new DomainException('UNAUTHORIZED');
    if (!(await this.hasher.verify(user.passwordHash, password))) {
      throw new DomainException('INVALID_PASSWORD', 'The password is not correct.');
    }
    return user;
  }

  async listSessions(me: AuthUser): Promise<SessionDto[]> {
    const rows = await this.sessions.listAlive(me.userId);
    return rows.map((row) => toSessionDto(row, me.sessionId));
  }

  /** Ends one of the caller's sessions; another account's session id is NOT_FOUND. */
  async revokeSession(me: AuthUser, sessionId: string): Promise<void> {
    if (!isUUID(sessionId, 'loose') || !(await this.sessions.revokeOwn(me.userId, sessionId))) {
      throw new DomainException('NOT_FOUND', 'You have no live session with this id.');
    }
  }
}

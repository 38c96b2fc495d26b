import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OneTimeTokensRepository } from '../auth/one-time-tokens.repository.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import { PasswordPolicy } from '../auth/password-policy.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { AuthUser } from '../common/decorators/current-user.decorator.js';
import { DomainException } from '../common/errors/domain.exception.js';
import { EventPublisher } from '../common/event-publisher.js';
import { PasswordChanged } from '../common/events.js';
import { message, MessageDto } from '../common/message.dto.js';
import { UsersRepository } from '../users/users.repository.js';
import { AccountDto, toAccountDto } from './dto/account.dto.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { SessionDto, toSessionDto } from './dto/session.dto.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  ) {}

  async getMe(me: AuthUser): Promise<AccountDto> {
    const user = await this.users.findById(me.userId);
    if (!user) throw new DomainException('UNAUTHORIZED');
    return toAccountDto(user);
  }

  /**
   * Changes the password after checking the current one. Every other session ends at once (the
   * caller's stays), pending reset links die, and the account's address gets a notice.
   */
  async changePassword(me: AuthUser, dto: ChangePasswordDto): Promise<MessageDto> {
    this.policy.assertLength(dto.newPassword);
    const user = await this.users.findCredentials({ id: me.userId });
    if (!user) throw new DomainException('UNAUTHORIZED');
    if (!(await this.hasher.verify(user.passwordHash, dto.currentPassword))) {
      throw new DomainException('INVALID_PASSWORD', 'The current password is not correct.');
    }
    if (dto.newPassword === dto.currentPassword) {
      throw new DomainException('WEAK_PASSWORD', 'The new password must differ from the current one.');
    }
    this.policy.assertAcceptable(dto.newPassword, user);
    const passwordHash = await this.hasher.hash(dto.newPassword);
    await this.db.transaction(async (tx) => {
      await this.users.updatePasswordHash(user.id, passwordHash, tx);
      await this.sessions.revokeSessionsOf(user.id, me.sessionId, tx);
      await this.tokens.revokeAll(tx, user.id, ['reset_password']);
      await this.events.publish(new PasswordChanged(tx, user));
    });
    return message('Your password was changed. Your other devices were signed out.');
  }

  async listSessions(me: AuthUser): Promise<SessionDto[]> {
    const rows = await this.sessions.listAlive(me.userId);
    return rows.map((row) => toSessionDto(row, me.sessionId));
  }

  /** Ends one of the caller's sessions; another account's session id is NOT_FOUND. */
  async revokeSession(me: AuthUser, sessionId: string): Promise<void> {
    if (!UUID.test(sessionId) || !(await this.sessions.revokeOwn(me.userId, sessionId))) {
      throw new DomainException('NOT_FOUND', 'You have no live session with this id.');
    }
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthUser } from '../common/decorators/current-user.decorator.js';
import { DomainException } from '../common/errors/domain.exception.js';
import { EventPublisher } from '../common/event-publisher.js';
import {
  AccountRegistered,
  EmailVerified,
  PasswordReset,
  PasswordResetRequested,
  RegistrationAttempted,
  VerificationRequested,
} from '../common/events.js';
import { message, MessageDto } from '../common/message.dto.js';
import { AppConfig } from '../config/app-config.js';
import { RateLimits } from '../rate-limit/rate-limits.service.js';
import { UsersRepository } from '../users/users.repository.js';
import { EmailDto } from './dto/email.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { TokensDto } from './dto/tokens.dto.js';
import { ResetPasswordDto, TokenValidDto } from './dto/reset-password.dto.js';
import { TOKEN_PURPOSES } from './one-time-token.entity.js';
import { OneTimeTokensRepository } from './one-time-tokens.repository.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPolicy } from './password-policy.js';
import { ClientInfo, SessionsRepository } from './sessions.repository.js';
import { TokenService } from './token.service.js';

export const REGISTER_ACCEPTED =
  'If the address can be registered, a message with the next step is on its way to it.';
export const FORGOT_ACCEPTED =
  'If the address belongs to an account, a link to reset its password is on its way to it.';
export const RESEND_ACCEPTED =
  'If the address belongs to an account waiting for verification, a new link is on its way to it.';

type RefreshOutcome = { tokens: TokensDto } | { reject: 'unknown' | 'reused' };

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersRepository,
    private readonly tokens: OneTimeTokensRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly jwt: TokenService,
    private readonly events: EventPublisher,
    private readonly config: AppConfig,
    private readonly limits: RateLimits,
  ) {}

  /**
   * Creates the account and mails a verification link; for a taken address, mails its owner a
   * notice instead. Both paths hash the password and answer alike, so the answer tells nothing.
   */
  async register(dto: RegisterDto): Promise<MessageDto> {
    await this.limits.consumeMail('register', dto.email);
    this.policy.assertAcceptable(dto.password, dto);
    const passwordHash = await this.hasher.hash(dto.password);
    await this.db.transaction(async (tx) => {
      const user = await this.users.insertIfAbsent(tx, {
        email: dto.email,
        passwordHash,
        displayName: dto.displayName ?? null,
      });
      if (user) {
        const token = await this.tokens.issue(tx, user.id, 'verify_email', user.email);
        await this.events.publish(new AccountRegistered(tx, user, token));
        return;
      }
      const existing = await this.users.findByEmail(tx, dto.email);
      if (existing) await this.events.publish(new RegistrationAttempted(tx, existing));
    });
    return message(REGISTER_ACCEPTED);
  }

  async verifyEmail(token: string): Promise<MessageDto> {
    await this.db.transaction(async (tx) => {
      const redeemed = await this.tokens.redeem(tx, token, 'verify_email');
      if (!(await this.users.markVerified(tx, redeemed.userId, redeemed.email))) {
        throw new DomainException(
          'TOKEN_INVALID',
          'The link was sent to an address the account no longer has.',
        );
      }
      const user = await this.users.findByEmail(tx, redeemed.email);
      await this.events.publish(new EmailVerified(tx, user!));
    });
    return message('Your email address is verified. You can sign in now.');
  }

  async resendVerification(dto: EmailDto): Promise<MessageDto> {
    await this.limits.consumeMail('verify', dto.email);
    await this.db.transaction(async (tx) => {
      const user = await this.users.findByEmail(tx, dto.email);
      if (!user || user.emailVerifiedAt) return;
      const token = await this.tokens.issue(tx, user.id, 'verify_email', user.email);
      await this.events.publish(new VerificationRequested(tx, user, token));
    });
    return message(RESEND_ACCEPTED);
  }

  /**
   * One argon2 verification whether or not the account exists. EMAIL_NOT_VERIFIED only after a
   * correct password, so it tells nothing to someone without it.
   */
  async login(dto: LoginDto, client: ClientInfo): Promise<TokensDto> {
    await this.limits.consumeLoginAttempt(dto.email); // before any hashing; a locked account answers 429
    const user = await this.users.findCredentials({ email: dto.email });
    const ok = user
      ? await this.hasher.verify(user.passwordHash, dto.password)
      : await this.hasher.verifyNothing(dto.password);
    if (!user || !ok) throw new DomainException('INVALID_CREDENTIALS');
    await this.limits.clearLoginAttempts(dto.email);
    if (!user.emailVerified) {
      throw new DomainException(
        'EMAIL_NOT_VERIFIED',
        'Confirm your address with the link we mailed you, or ask for a new one.',
      );
    }
    if (this.hasher.needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await this.hasher.hash(dto.password));
    }
    const refreshToken = this.jwt.newRefreshToken();
    const sessionId = await this.sessions.create(
      user.id,
      client,
      this.config.jwt.refreshTtlMs,
      refreshToken,
    );
    return this.jwt.pair(user.id, sessionId, refreshToken);
  }

  /**
   * Rotates the refresh token. A retired token presented again within REFRESH_REUSE_GRACE of its
   * rotation gets the same successor (two tabs refreshing at once); later, it revokes the session.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokensDto> {
    const successor = this.jwt.successorOf(refreshToken);
    const { refreshTtlMs, refreshReuseGraceMs } = this.config.jwt;
    const rotated = await this.sessions.rotate(refreshToken, successor, client, refreshTtlMs);
    if (rotated) return this.jwt.pair(rotated.userId, rotated.sessionId, successor);
    // not the current token of a live session: unknown, retired by a concurrent refresh, or replayed
    const outcome = await this.db.transaction(async (tx): Promise<RefreshOutcome> => {
      const presented = await this.sessions.findRefreshToken(tx, refreshToken);
      if (!presented?.retired || !presented.sessionAlive) return { reject: 'unknown' };
      const withinGrace = (presented.retiredForMs ?? 0) <= refreshReuseGraceMs;
      if (withinGrace && (await this.sessions.successorIsCurrent(tx, presented.id))) {
        return { tokens: this.jwt.pair(presented.userId, presented.sessionId, successor) };
      }
      await this.sessions.revoke(presented.sessionId, tx);
      this.logger.warn({
        event: 'refresh_token_reuse_detected',
        sessionId: presented.sessionId,
        userId: presented.userId,
      });
      return { reject: 'reused' };
    });
    if ('reject' in outcome)
      throw new DomainException('UNAUTHORIZED', 'The refresh token is not valid. Sign in again.');
    return outcome.tokens;
  }

  /** Mails a reset link to an existing account; answers alike for every address. */
  async forgotPassword(dto: EmailDto): Promise<MessageDto> {
    await this.limits.consumeMail('reset', dto.email);
    await this.db.transaction(async (tx) => {
      const user = await this.users.findByEmail(tx, dto.email);
      if (!user) return;
      const token = await this.tokens.issue(tx, user.id, 'reset_password', user.email);
      await this.events.publish(new PasswordResetRequested(tx, user, token));
    });
    return message(FORGOT_ACCEPTED);
  }

  async validateResetToken(token: string): Promise<TokenValidDto> {
    await this.tokens.check(this.db.manager, token, 'reset_password');
    return { valid: true };
  }

  /**
   * Sets a new password with a mailed token. The policy is checked before the token is redeemed,
   * so a refused password leaves it usable. On success every session and every other mailed token
   * of the account is revoked, and the person signs in again.
   */
  async resetPassword(dto: ResetPasswordDto): Promise<MessageDto> {
    this.policy.assertLength(dto.newPassword);
    const pending = await this.tokens.check(this.db.manager, dto.token, 'reset_password');
    const owner = await this.users.findById(pending.userId);
    if (!owner) throw new DomainException('TOKEN_INVALID');
    this.policy.assertAcceptable(dto.newPassword, owner);
    const passwordHash = await this.hasher.hash(dto.newPassword);
    await this.db.transaction(async (tx) => {
      const redeemed = await this.tokens.redeem(tx, dto.token, 'reset_password');
      const user = await this.users.findByEmail(tx, redeemed.email);
      if (!user || user.id !== redeemed.userId) throw new DomainException('TOKEN_INVALID');
      await this.users.updatePasswordHash(user.id, passwordHash, tx);
      await this.users.markVerified(tx, user.id, user.email); // the mail reached its owner
      await this.sessions.revokeSessionsOf(user.id, null, tx);
      await this.tokens.revokeAll(tx, user.id, TOKEN_PURPOSES);
      await this.events.publish(new PasswordReset(tx, user));
    });
    return message('Your password was reset. Sign in with the new one.');
  }

  async logout(user: AuthUser): Promise<void> {
    await this.sessions.revoke(user.sessionId);
  }
}

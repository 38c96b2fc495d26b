import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { randomToken, sha256, TOKEN_PATTERN } from '../common/crypto.js';
import { DomainException } from '../common/errors/domain.exception.js';
import { AppConfig } from '../config/app-config.js';
import { queryRows } from '../database/sql.js';
import { TokenPurpose } from './one-time-token.entity.js';

export interface RedeemedToken {
  userId: string;
  email: string;
}

/** Single-use mailed tokens: stored as SHA-256, bound to one purpose, expiring. */
@Injectable()
export class OneTimeTokensRepository {
  constructor(private readonly config: AppConfig) {}

  /** Issues a token for `email`, revoking the account's earlier unused tokens of that purpose. */
  async issue(
    tx: EntityManager,
    userId: string,
    purpose: TokenPurpose,
    email: string,
  ): Promise<string> {
    const token = randomToken();
    // one statement: the account's earlier unused tokens of this purpose are revoked with it
    await queryRows(
      tx,
      `WITH revoked AS (
         UPDATE one_time_tokens SET revoked_at = now()
          WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL AND revoked_at IS NULL)
       INSERT INTO one_time_tokens (user_id, purpose, token_hash, email, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
      [userId, purpose, sha256(token), email, this.config.tokenTtlMs[purpose] / 1000],
    );
    return token;
  }

  /**
   * Redeems a token in one statement, so that of two concurrent redemptions exactly one wins.
   * Throws TOKEN_INVALID, TOKEN_USED or TOKEN_EXPIRED otherwise.
   */
  async redeem(tx: EntityManager, token: string, purpose: TokenPurpose): Promise<RedeemedToken> {
    if (!TOKEN_PATTERN.test(token)) throw new DomainException('TOKEN_INVALID');
    const hash = sha256(token);
    const [won] = await queryRows<RedeemedToken>(
      tx,
      `UPDATE one_time_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING user_id AS "userId", email`,
      [hash, purpose],
    );
    if (won) return won;
    throw new DomainException(await this.whyNot(tx, hash, purpose));
  }

  /** Checks a token without redeeming it. */
  async check(tx: EntityManager, token: string, purpose: TokenPurpose): Promise<RedeemedToken> {
    if (!TOKEN_PATTERN.test(token)) throw new DomainException('TOKEN_INVALID');
    const hash = sha256(token);
    const [row] = await queryRows<RedeemedToken>(
      tx,
      `SELECT user_id AS "userId", email FROM one_time_tokens
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
      [hash, purpose],
    );
    if (row) return row;
    throw new DomainException(await this.whyNot(tx, hash, purpose));
  }

  async revokeAll(
    tx: EntityManager,
    userId: string,
    purposes: readonly TokenPurpose[],
  ): Promise<void> {
    await queryRows(
      tx,
      `UPDATE one_time_tokens SET revoked_at = now()
        WHERE user_id = $1 AND purpose::text = ANY(string_to_array($2, ',')) AND used_at IS NULL AND revoked_at IS NULL`,
      [userId, purposes.join(',')],
    );
  }

  private async whyNot(tx: EntityManager, hash: string, purpose: TokenPurpose) {
    const [row] = await queryRows<{ used: boolean; revoked: boolean; expired: boolean }>(
      tx,
      `SELECT used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked, expires_at <= now() AS expired
         FROM one_time_tokens WHERE token_hash = $1 AND purpose = $2`,
      [hash, purpose],
    );
    if (!row || row.revoked) return 'TOKEN_INVALID' as const;
    if (row.used) return 'TOKEN_USED' as const;
    return 'TOKEN_EXPIRED' as const;
  }
}

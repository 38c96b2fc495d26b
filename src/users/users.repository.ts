import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import DataLoader from 'dataloader';
import { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../database/sql.js';
import { ACCOUNT_COLUMNS, ACCOUNTS_OF_LIVE_SESSIONS } from './account-queries.js';
import { User } from './user.entity.js';

export interface Credentials {
  id: string;
  email: string;
  displayName: string | null;
  passwordHash: string;
  emailVerified: boolean;
}

interface SessionAccount extends User {
  sessionId: string;
}

/** Persistence of accounts. Methods taking `tx` run inside the caller's transaction. */
@Injectable()
export class UsersRepository {
  /**
   * Session checks that arrive while the event loop handles one round of I/O are answered by one
   * statement, sent after that round: each check still reads the database after its request
   * arrived, and nothing is cached between rounds.
   */
  private readonly liveSessions = new DataLoader<string, SessionAccount | undefined>(
    async (sessionIds) => {
      const rows = await queryRows<SessionAccount>(this.db, ACCOUNTS_OF_LIVE_SESSIONS, [
        sessionIds.filter((id) => isUUID(id, 'loose')), // one malformed id must not fail the batch
      ]);
      const bySession = new Map(rows.map((row) => [row.sessionId, row]));
      return sessionIds.map((id) => bySession.get(id));
    },
    { cache: false, batchScheduleFn: (send) => setImmediate(send), maxBatchSize: 100 },
  );

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The account by id, without its password hash. */
  async findById(id: string): Promise<User | null> {
    const [row] = await queryRows<User>(
      this.db,
      `SELECT ${ACCOUNT_COLUMNS} FROM users WHERE id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** The account of a live session; null when the session is unknown, revoked or expired. */
  async findBySession(sessionId: string, userId: string): Promise<User | null> {
    const row = await this.liveSessions.load(sessionId);
    if (row?.id !== userId) return null;
    const { sessionId: _, ...account } = row;
    return account;
  }

  findByEmail(tx: EntityManager, email: string): Promise<User | null> {
    return tx.findOneBy(User, { email });
  }

  /** The account with its password hash, for checking a password. */
  async findCredentials(
    where: { email: string } | { id: string },
    tx: EntityManager = this.db.manager,
  ): Promise<Credentials | null> {
    const [column, value] = 'email' in where ? ['email', where.email] : ['id', where.id];
    const [row] = await queryRows<Credentials>(
      tx,
      `SELECT id, email, display_name AS "displayName", password_hash AS "passwordHash",
              email_verified_at IS NOT NULL AS "emailVerified"
         FROM users WHERE ${column} = $1`,
      [value],
    );
    return row ?? null;
  }

  /** Creates the account unless the address is taken (even by a concurrent request); null if taken. */
  async insertIfAbsent(
    tx: EntityManager,
    data: { email: string; passwordHash: string; displayName: string | null },
  ): Promise<User | null> {
    const [row] = await queryRows<User>(
      tx,
      `INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO NOTHING
       RETURNING ${ACCOUNT_COLUMNS}`,
      [data.email, data.passwordHash, data.displayName],
    );
    return row ?? null;
  }

  /** Marks the address verified if it is still the account's address; false otherwise. */
  async markVerified(tx: EntityManager, id: string, email: string): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `UPDATE users SET email_verified_at = COALESCE(email_verified_at, now()), updated_at = now()
        WHERE id = $1 AND email = $2 RETURNING id`,
      [id, email],
    );
    return rows.length === 1;
  }

  async updatePasswordHash(
    id: string,
    passwordHash: string,
    tx: EntityManager = this.db.manager,
  ): Promise<void> {
    await tx.update(User, { id }, { passwordHash });
  }

  /** Sets the display name and returns the account as it is now; null when it no longer exists. */
  async updateDisplayName(id: string, displayName: string | null): Promise<User | null> {
    const [row] = await queryRows<User>(
      this.db,
      `UPDATE users SET display_name = $2, updated_at = now() WHERE id = $1
       RETURNING ${ACCOUNT_COLUMNS}`,
      [id, displayName],
    );
    return row ?? null;
  }

  /** True when another account than `exceptId` has the address. */
  async isTaken(tx: EntityManager, email: string, exceptId: string): Promise<boolean> {
    const rows = await queryRows(tx, `SELECT 1 FROM users WHERE email = $1 AND id <> $2`, [
      email,
      exceptId,
    ]);
    return rows.length > 0;
  }

  /**
   * Moves the account to a new, verified address. False when the address belongs to another
   * account, even one that took it a moment ago (the unique index decides); the transaction is
   * then aborted and must be rolled back.
   */
  async changeEmail(tx: EntityManager, id: string, email: string): Promise<boolean> {
    try {
      const rows = await queryRows(
        tx,
        `UPDATE users SET email = $2, email_verified_at = now(), updated_at = now() WHERE id = $1 RETURNING id`,
        [id, email],
      );
      return rows.length === 1;
    } catch (error) {
      if (uniqueViolation(error)) return false;
      throw error;
    }
  }

  /** Removes the account; its sessions, refresh tokens and mailed tokens go with it (cascade). */
  async delete(tx: EntityManager, id: string): Promise<boolean> {
    const rows = await queryRows(tx, `DELETE FROM users WHERE id = $1 RETURNING id`, [id]);
    return rows.length === 1;
  }
}

function uniqueViolation(error: unknown): boolean {
  const { code, driverError } = error as { code?: string; driverError?: { code?: string } };
  return code === '23505' || driverError?.code === '23505';
}

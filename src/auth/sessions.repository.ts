import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { sha256 } from '../common/crypto.js';
import { queryRows } from '../database/sql.js';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface PresentedRefreshToken {
  id: string;
  sessionId: string;
  userId: string;
  retired: boolean;
  /** Milliseconds since the token was rotated out; null while it is the session's current one. */
  retiredForMs: number | null;
  sessionAlive: boolean;
}

export interface SessionRow {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  userAgent: string | null;
  ip: string | null;
}

/** Sessions and their refresh-token rotation chains. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Opens a session with its first refresh token: one statement, so atomic without a transaction. */
  async create(
    userId: string,
    client: ClientInfo,
    ttlMs: number,
    refreshToken: string,
  ): Promise<string> {
    const [session] = await queryRows<{ id: string }>(
      this.db,
      `WITH session AS (
         INSERT INTO sessions (user_id, ip, user_agent, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id)
       INSERT INTO refresh_tokens (session_id, token_hash) SELECT id, $5 FROM session
       RETURNING session_id AS id`,
      [userId, client.ip, client.userAgent, ttlMs / 1000, sha256(refreshToken)],
    );
    return session.id;
  }

  /**
   * A refresh in one statement, the usual case: when the token is its session's current one and the
   * session is alive, retires it, adds its successor and renews the session. Null otherwise (the
   * token is unknown or retired, or the session ended), for the caller to sort out.
   */
  async rotate(
    token: string,
    successor: string,
    client: ClientInfo,
    ttlMs: number,
  ): Promise<{ sessionId: string; userId: string } | null> {
    const [row] = await queryRows<{ sessionId: string; userId: string }>(
      this.db,
      `WITH presented AS (
         UPDATE refresh_tokens t SET retired_at = now()
           FROM sessions s
          WHERE t.token_hash = $1 AND t.retired_at IS NULL
            AND s.id = t.session_id AND s.revoked_at IS NULL AND s.expires_at > now()
         RETURNING t.id, t.session_id, s.user_id),
       successor AS (
         INSERT INTO refresh_tokens (session_id, token_hash, parent_id)
         SELECT session_id, $2, id FROM presented),
       renewed AS (
         UPDATE sessions SET last_used_at = now(), ip = $3, user_agent = $4,
                expires_at = now() + make_interval(secs => $5)
          WHERE id = (SELECT session_id FROM presented))
       SELECT session_id AS "sessionId", user_id AS "userId" FROM presented`,
      [sha256(token), sha256(successor), client.ip, client.userAgent, ttlMs / 1000],
    );
    return row ?? null;
  }

  async findRefreshToken(tx: EntityManager, token: string): Promise<PresentedRefreshToken | null> {
    const [row] = await queryRows<PresentedRefreshToken>(
      tx,
      `SELECT t.id, t.session_id AS "sessionId", s.user_id AS "userId", t.retired_at IS NOT NULL AS retired,
              (EXTRACT(EPOCH FROM (now() - t.retired_at)) * 1000)::float8 AS "retiredForMs",
              (s.revoked_at IS NULL AND s.expires_at > now()) AS "sessionAlive"
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1`,
      [sha256(token)],
    );
    return row ?? null;
  }

  /** True when the token's successor is the session's current refresh token. */
  async successorIsCurrent(tx: EntityManager, tokenId: string): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `SELECT 1 FROM refresh_tokens WHERE parent_id = $1 AND retired_at IS NULL`,
      [tokenId],
    );
    return rows.length === 1;
  }

  /** The user's live sessions, most recently used first. */
  listAlive(userId: string): Promise<SessionRow[]> {
    return queryRows<SessionRow>(
      this.db,
      `SELECT id, created_at AS "createdAt", last_used_at AS "lastUsedAt", user_agent AS "userAgent", ip
         FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
        ORDER BY last_used_at DESC, created_at DESC`,
      [userId],
    );
  }

  /** Revokes one live session of the user; false when there is no such session of theirs. */
  async revokeOwn(userId: string, sessionId: string): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `UPDATE sessions SET revoked_at = now()
        WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
      [sessionId, userId],
    );
    return rows.length === 1;
  }

  async revoke(sessionId: string, tx: EntityManager = this.db.manager): Promise<void> {
    await queryRows(
      tx,
      `UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId],
    );
  }

  /** Revokes every live session of the user but `exceptSessionId`. */
  async revokeSessionsOf(
    userId: string,
    exceptSessionId: string | null,
    tx: EntityManager = this.db.manager,
  ): Promise<void> {
    await queryRows(
      tx,
      `UPDATE sessions SET revoked_at = now()
        WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)`,
      [userId, exceptSessionId],
    );
  }
}

import type { SessionRow } from '../../auth/sessions.repository.js';

/** A signed-in device or browser of the account. */
export class SessionDto {
  /** @example "6f1c2b8e-3a9d-4e57-b1f0-9c2d7a4e8b31" */
  id!: string;
  /** True for the session of the access token that asked. @example true */
  current!: boolean;
  /** @example "2026-11-23T09:30:00.000Z" */
  createdAt!: string;
  /** @example "2026-11-23T10:05:00.000Z" */
  lastUsedAt!: string;
  /** @example "Mozilla/5.0 (X11; Linux x86_64)" */
  userAgent!: string | null;
  /** @example "203.0.113.7" */
  ip!: string | null;
}

export function toSessionDto(row: SessionRow, currentSessionId: string): SessionDto {
  return {
    id: row.id,
    current: row.id === currentSessionId,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: new Date(row.lastUsedAt).toISOString(),
    userAgent: row.userAgent,
    ip: row.ip,
  };
}

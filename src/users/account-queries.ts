/** The columns of a `User` (all but the password hash), as read from `users`. */
export const ACCOUNT_COLUMNS = `users.id, users.email, users.display_name AS "displayName",
  users.email_verified_at AS "emailVerifiedAt", users.created_at AS "createdAt",
  users.updated_at AS "updatedAt"`;

/**
 * The accounts of live sessions ($1 an array of session ids): sessions that exist, are not
 * revoked and have not expired, each with its id as "sessionId". Every authenticated request's
 * session is checked by it; concurrent checks share one statement (UsersRepository.findBySession).
 */
export const ACCOUNTS_OF_LIVE_SESSIONS = `SELECT s.id AS "sessionId", ${ACCOUNT_COLUMNS}
   FROM sessions s JOIN users ON users.id = s.user_id
  WHERE s.id = ANY($1::uuid[]) AND s.revoked_at IS NULL AND s.expires_at > now()`;

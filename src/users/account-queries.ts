/** The columns of a `User` (all but the password hash), as read from `users`. */
export const ACCOUNT_COLUMNS = `users.id, users.email, users.display_name AS "displayName",
  users.email_verified_at AS "emailVerifiedAt", users.created_at AS "createdAt",
  users.updated_at AS "updatedAt"`;

/**
 * The account of a live session ($1 the session id, $2 the user id): a session that exists,
 * belongs to the user, is not revoked and has not expired. Every authenticated request runs it
 * (the bench measures its ceiling with this very statement: bench/hello-server.js).
 */
export const ACCOUNT_OF_LIVE_SESSION = `SELECT ${ACCOUNT_COLUMNS}
   FROM sessions s JOIN users ON users.id = s.user_id
  WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`;

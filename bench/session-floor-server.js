// The least GET /accounts/me can cost on this stack, without Nest or passport: Fastify with the
// service's security headers, jsonwebtoken with a KeyObject, and (unless NO_DATABASE is set) the
// service's batched session statement through pg. Used by bench/session-floor.js.
import DataLoader from 'dataloader';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import { createSecretKey } from 'node:crypto';
import pg from 'pg';
import { registerSecurityHeaders } from '../dist/common/http/security-headers.js';
import { ACCOUNTS_OF_LIVE_SESSIONS } from '../dist/users/account-queries.js';

const key = createSecretKey(Buffer.from(process.env.JWT_SECRET));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const sessions = new DataLoader(
  async (ids) => {
    const { rows } = await pool.query(ACCOUNTS_OF_LIVE_SESSIONS, [ids]);
    const bySession = new Map(rows.map((row) => [row.sessionId, row]));
    return ids.map((id) => bySession.get(id));
  },
  { cache: false, batchScheduleFn: (send) => setImmediate(send), maxBatchSize: 100 },
);
const noDatabase = Boolean(process.env.NO_DATABASE);

const app = Fastify({ logger: false });
registerSecurityHeaders(app);
app.get('/me', async (request, reply) => {
  let payload;
  try {
    const token = request.headers.authorization?.slice('Bearer '.length) ?? '';
    payload = jwt.verify(token, key, { algorithms: ['HS256'], complete: true }).payload;
  } catch {
    return reply.code(401).send({ code: 'UNAUTHORIZED' });
  }
  const account = noDatabase
    ? { id: payload.sub, email: 'floor@example.test', displayName: null, createdAt: new Date() }
    : await sessions.load(payload.sid);
  if (account?.id !== payload.sub) return reply.code(401).send({ code: 'UNAUTHORIZED' });
  return {
    id: account.id,
    email: account.email,
    displayName: account.displayName,
    emailVerified: true,
    createdAt: account.createdAt.toISOString(),
  };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('ready');

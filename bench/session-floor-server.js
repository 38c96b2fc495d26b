// The least GET /accounts/me can cost on this stack, without Nest or passport: Fastify with the
// service's security headers, jsonwebtoken with a KeyObject, and (unless NO_DATABASE is set) the
// service's own session check, UsersRepository.findBySession. Used by bench/session-floor.js.
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import { createSecretKey } from 'node:crypto';
import { DataSource } from 'typeorm';
import { toAccountDto } from '../dist/accounts/dto/account.dto.js';
import { registerSecurityHeaders } from '../dist/common/http/security-headers.js';
import { dataSourceOptions } from '../dist/database/data-source-options.js';
import { UsersRepository } from '../dist/users/users.repository.js';

const key = createSecretKey(Buffer.from(process.env.JWT_SECRET));
const noDatabase = Boolean(process.env.NO_DATABASE);
const db = new DataSource(
  dataSourceOptions({ kind: 'postgres', url: process.env.DATABASE_URL, poolSize: 10 }),
);
if (!noDatabase) await db.initialize();
const users = new UsersRepository(db);
/** The account NO_DATABASE answers with, instead of reading one. */
const STAND_IN = {
  email: 'floor@example.test',
  displayName: null,
  emailVerifiedAt: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

const app = Fastify({ logger: false });
registerSecurityHeaders(app);
app.get('/', () => ({ status: 'ok' }));
app.get('/me', async (request, reply) => {
  let payload;
  try {
    const token = request.headers.authorization?.slice('Bearer '.length) ?? '';
    payload = jwt.verify(token, key, { algorithms: ['HS256'], complete: true }).payload;
  } catch {
    return reply.code(401).send({ code: 'UNAUTHORIZED' });
  }
  const account = noDatabase
    ? { ...STAND_IN, id: payload.sub }
    : await users.findBySession(payload.sid, payload.sub);
  if (!account) return reply.code(401).send({ code: 'UNAUTHORIZED' });
  return toAccountDto(account);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });

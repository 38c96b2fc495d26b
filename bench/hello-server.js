// The HTTP ceilings: a bare Fastify server on the same Node, answering a small JSON body, or (with
// SESSION_ID, USER_ID and a postgres DATABASE_URL) the row of the query GET /accounts/me runs per
// request (the service's own statement, from the build), read with the pg driver directly: what
// one database round trip per request allows.
import Fastify from 'fastify';
import pg from 'pg';
import { ACCOUNT_OF_LIVE_SESSION } from '../dist/users/account-queries.js';

const app = Fastify({ logger: false });
const { DATABASE_URL, SESSION_ID, USER_ID } = process.env;
if (SESSION_ID && USER_ID && DATABASE_URL) {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
  app.get('/', async () => {
    const { rows } = await pool.query(ACCOUNT_OF_LIVE_SESSION, [SESSION_ID, USER_ID]);
    return rows[0];
  });
} else {
  app.get('/', () => ({ status: 'ok' }));
}
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('ready');

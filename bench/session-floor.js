// node bench/session-floor.js (DATABASE_URL: a migrated PostgreSQL database)
// What a per-request session check costs by itself: bare Fastify against the least a GET
// /accounts/me can do on this stack (bench/session-floor-server.js), with and without the
// service's session check, in alternating rounds of one run. Seeds 60 accounts with live
// sessions and deletes them afterwards; exits 1 when any request failed (a refused token would
// make the floor look cheap).
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { formatCpu, withCpuPerRequest } from './cpu.js';
import { freePort } from './free-port.js';
import { BENCH_JWT_SECRET, load, start, waitFor } from './load.js';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL?.startsWith('postgres'))
  throw new Error('set DATABASE_URL to a PostgreSQL database');
const ROUNDS = 2;
const SECONDS = 8;

const db = new pg.Client(DATABASE_URL);
await db.connect();
const marker = `floor-${Date.now().toString(36)}`;
const { rows } = await db.query(
  `WITH u AS (INSERT INTO users (email, password_hash, email_verified_at)
              SELECT $1 || '-' || n || '@example.test', 'not a hash', now()
                FROM generate_series(1, 60) n RETURNING id)
   INSERT INTO sessions (user_id, expires_at) SELECT id, now() + interval '1 hour' FROM u
   RETURNING user_id AS "userId", id`,
  [marker],
);
const tokens = rows.map(({ userId, id }) =>
  jwt.sign({ sub: userId, sid: id }, BENCH_JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 }),
);

async function server(file, env = {}) {
  const port = await freePort();
  const child = start('node', [file], {
    ...env,
    PORT: String(port),
    DATABASE_URL,
    JWT_SECRET: BENCH_JWT_SECRET,
  });
  await waitFor(`http://127.0.0.1:${port}/`);
  return { child, port };
}

/** The server's answers for SECONDS; GET /me with the seeded tokens in turn when `path` is /me. */
function measure({ child, port }, path) {
  let i = 0;
  const authorized = (req) => ({
    ...req,
    headers: { authorization: `Bearer ${tokens[i++ % tokens.length]}` },
  });
  return withCpuPerRequest(child.pid, () =>
    load({
      url: `http://127.0.0.1:${port}`,
      connections: 20,
      duration: SECONDS,
      requests: [path === '/me' ? { path, setupRequest: authorized } : { path }],
    }),
  );
}

const servers = [];
let failed = false;
try {
  const hello = await server('bench/hello-server.js');
  const tokenOnly = await server('bench/session-floor-server.js', { NO_DATABASE: '1' });
  const withSession = await server('bench/session-floor-server.js');
  servers.push(hello, tokenOnly, withSession);
  console.log('req/s, and CPU µs per request: server / PostgreSQL / bench process / machine');
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}`);
    const bare = await measure(hello, '/');
    for (const [name, result] of [
      ['bare Fastify', bare],
      ['Fastify + headers + token check', await measure(tokenOnly, '/me')],
      ['Fastify + headers + token check + session check', await measure(withSession, '/me')],
    ]) {
      const errors = result.errors + result.timeouts + result.non2xx;
      failed ||= errors > 0;
      const share = Math.round((100 * result.requests.average) / bare.requests.average);
      console.log(
        `  ${name}: ${Math.round(result.requests.average)} req/s (${share} % of bare), errors ${errors}, CPU ${formatCpu(result.cpu)}`,
      );
    }
  }
} finally {
  for (const { child } of servers) child.kill();
  await db.query(`DELETE FROM users WHERE email LIKE $1`, [`${marker}-%`]);
  await db.end();
}
process.exit(failed ? 1 : 0);

// node bench/session-floor.js (DATABASE_URL: a migrated PostgreSQL database)
// What a per-request session check costs by itself: bare Fastify against the least a GET
// /accounts/me can do on this stack (bench/session-floor-server.js), with and without the
// service's batched session statement, in alternating rounds of one run. Seeds 60 accounts with
// live sessions and deletes them afterwards.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { withCpuPerRequest } from './cpu.js';
import { freePort } from './free-port.js';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL?.startsWith('postgres'))
  throw new Error('set DATABASE_URL to a PostgreSQL database');
const JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789';
const ROUNDS = 2;
const SECONDS = 8;

const db = new pg.Client(DATABASE_URL);
await db.connect();
const marker = `floor-${Date.now().toString(36)}`;
const tokens = [];
for (let i = 0; i < 60; i++) {
  const { rows } = await db.query(
    `WITH u AS (INSERT INTO users (email, password_hash, email_verified_at)
                VALUES ($1, 'not a hash', now()) RETURNING id)
     INSERT INTO sessions (user_id, expires_at) SELECT id, now() + interval '1 hour' FROM u
     RETURNING user_id AS "userId", id`,
    [`${marker}-${i}@example.test`],
  );
  const [{ userId, id }] = rows;
  tokens.push(
    jwt.sign({ sub: userId, sid: id }, JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 }),
  );
}

async function server(file, env = {}) {
  const port = await freePort();
  const child = spawn('node', [file], {
    env: { ...process.env, ...env, PORT: String(port), DATABASE_URL, JWT_SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return { child, port };
}

function load({ child, port }, path, withToken) {
  let i = 0;
  return withCpuPerRequest(
    child.pid,
    () =>
      new Promise((resolve, reject) =>
        autocannon(
          {
            url: `http://127.0.0.1:${port}${path}`,
            connections: 20,
            duration: SECONDS,
            requests: [
              {
                method: 'GET',
                setupRequest: (req) =>
                  withToken
                    ? {
                        ...req,
                        headers: { authorization: `Bearer ${tokens[i++ % tokens.length]}` },
                      }
                    : req,
              },
            ],
          },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      ),
  );
}

const hello = await server('bench/hello-server.js');
const withSession = await server('bench/session-floor-server.js');
const tokenOnly = await server('bench/session-floor-server.js', { NO_DATABASE: '1' });
const cpu = (c) => `${c.server} / ${c.postgres} / ${c.bench} / ${c.machine}`;
console.log('req/s, and CPU µs per request: server / PostgreSQL / bench process / machine');
for (let round = 1; round <= ROUNDS; round++) {
  const bare = await load(hello, '/', false);
  const token = await load(tokenOnly, '/me', true);
  const session = await load(withSession, '/me', true);
  const line = (name, r) =>
    `  ${name}: ${Math.round(r.requests.average)} req/s (${Math.round((100 * r.requests.average) / bare.requests.average)} % of bare), errors ${r.errors + r.non2xx}, CPU ${cpu(r.cpu)}`;
  console.log(`round ${round}`);
  console.log(line('bare Fastify', bare));
  console.log(line('Fastify + headers + token check', token));
  console.log(line('Fastify + headers + token check + session statement', session));
}
for (const s of [hello, withSession, tokenOnly]) s.child.kill();
await db.query(`DELETE FROM users WHERE email LIKE $1`, [`${marker}-%`]);
await db.end();

import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The database of the run: the embedded PGlite by default, PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'pglite://memory';
export const onPostgres = TEST_DATABASE_URL.startsWith('postgres');

export interface ScratchDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A database of its own for a test that counts whole tables or must start empty: a new database
 * on the test PostgreSQL server, or a fresh in-memory PGlite.
 */
export async function scratchDatabase(): Promise<ScratchDatabase> {
  if (!onPostgres) return { url: 'pglite://memory', drop: () => Promise.resolve() };
  const name = `accounts_scratch_${randomBytes(6).toString('hex')}`;
  const admin = new URL(TEST_DATABASE_URL);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const created = new Set<ScratchDatabase>();

/**
 * A database for one test app: on PostgreSQL a new one on the test server, dropped by `drop()` or
 * at the latest after the test file. Apps must not share one by accident: an app's outbox worker
 * claims any due mail of its database, so another app alive at the same time (in this file or in
 * a file running in parallel) could send this app's mails through its own transport.
 */
export async function appDatabase(): Promise<ScratchDatabase> {
  if (!onPostgres) return { url: TEST_DATABASE_URL, drop: () => Promise.resolve() };
  const db = await scratchDatabase();
  created.add(db);
  return {
    url: db.url,
    drop: () => (created.delete(db) ? db.drop() : Promise.resolve()),
  };
}

if (onPostgres) afterAll(() => Promise.all([...created].map((db) => db.drop())));

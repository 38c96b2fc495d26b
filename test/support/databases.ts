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

let fileDatabase: Promise<ScratchDatabase> | undefined;

/**
 * The database of this test file's apps. On PostgreSQL each test file gets a database of its own
 * (dropped after the file): test files run in parallel, and an app's outbox worker claims any due
 * mail of its database, so an app of another file could send this file's mails to its own mailbox.
 */
export function fileDatabaseUrl(): Promise<string> {
  if (!onPostgres) return Promise.resolve(TEST_DATABASE_URL);
  fileDatabase ??= scratchDatabase();
  return fileDatabase.then((db) => db.url);
}

if (onPostgres) afterAll(async () => (await fileDatabase)?.drop());

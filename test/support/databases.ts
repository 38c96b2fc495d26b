import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { onPostgres, TEST_DATABASE_URL } from './test-app.js';

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

import { DataSource, Migration, MigrationExecutor } from 'typeorm';

/** Any fixed 64-bit number; all instances of the service take this advisory lock to migrate. */
const MIGRATION_LOCK_KEY = 7_215_448_932;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, on the lock's own connection, so that
 * several instances starting together migrate once: the others wait, then find nothing to do.
 */
export async function runMigrations(dataSource: DataSource): Promise<Migration[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}

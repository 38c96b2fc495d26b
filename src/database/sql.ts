import { DataSource, EntityManager } from 'typeorm';

/**
 * Runs one SQL statement and returns its rows, the same on pg and PGlite (whose raw results
 * differ for UPDATE … RETURNING). Inside a transaction pass its EntityManager.
 */
export async function queryRows<T>(
  db: DataSource | EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const manager = db instanceof DataSource ? db.manager : db;
  const own = manager.queryRunner ? undefined : manager.connection.createQueryRunner();
  const runner = manager.queryRunner ?? own!;
  try {
    const result = await runner.query(sql, params, true);
    return (result.records ?? []) as T[];
  } finally {
    await own?.release();
  }
}

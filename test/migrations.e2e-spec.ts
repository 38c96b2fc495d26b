import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource, type Migration } from 'typeorm';
import type { DatabaseConfig } from '../src/config/app-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { runMigrations } from '../src/database/migrate.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { onPostgres, TEST_DATABASE_URL } from './support/test-app.js';

/** The maintenance database of the test server, to create and drop databases from. */
function adminUrl(): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = '/postgres';
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const migrationNames = MIGRATIONS.map((m) => m.name).sort();

describe('database migrations', () => {
  const created: string[] = [];
  const dataSources: DataSource[] = [];

  /** A new, empty database on the test PostgreSQL server (dropped in afterAll). */
  async function freshDatabase(): Promise<DatabaseConfig> {
    const name = `accounts_mig_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`);
    created.push(name);
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${name}`;
    return { kind: 'postgres', url: url.toString(), poolSize: 2 };
  }

  async function connect(db: DatabaseConfig): Promise<DataSource> {
    const dataSource = new DataSource(dataSourceOptions(db));
    dataSources.push(dataSource);
    return dataSource.initialize();
  }

  afterAll(async () => {
    for (const dataSource of dataSources.splice(0)) {
      if (dataSource.isInitialized) await dataSource.destroy();
    }
    for (const name of created.splice(0))
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  (onPostgres ? it : it.skip)(
    'applies each migration once when three instances migrate a fresh database at the same time',
    async () => {
      const db = await freshDatabase();
      const instances = await Promise.all([1, 2, 3].map(() => connect(db)));

      const results = await Promise.allSettled(instances.map((ds) => runMigrations(ds)));
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(errors).toEqual([]);
      const applied = results.map((r) => (r as PromiseFulfilledResult<Migration[]>).value);

      expect(
        applied
          .flat()
          .map((m) => m.name)
          .sort(),
      ).toEqual(migrationNames);
      expect(applied.reduce((sum, list) => sum + list.length, 0)).toBe(MIGRATIONS.length);

      const rows = await instances[0].query<Array<{ name: string }>>(
        `SELECT name FROM migrations ORDER BY name`,
      );
      expect(rows.map((r) => r.name).sort()).toEqual(migrationNames);

      // and a later start finds nothing to do
      expect(await runMigrations(instances[1])).toEqual([]);
    },
  );

  it('leaves no difference between the entities and the migrated schema', async () => {
    const db: DatabaseConfig = onPostgres
      ? await freshDatabase()
      : { kind: 'pglite', dataDir: undefined };
    const dataSource = await connect(db);
    const applied = await runMigrations(dataSource);
    expect(applied.map((m) => m.name).sort()).toEqual(migrationNames);

    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });
});

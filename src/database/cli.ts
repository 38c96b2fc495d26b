/**
 * Migration tooling, run from the built code (`npm run migration:generate -- Name`,
 * `npm run migration:check`). Both run the committed migrations on DATABASE_URL first, then
 * compare the entities with the resulting schema.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { runMigrations } from './migrate.js';

async function pendingSchemaChanges(dataSource: DataSource) {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return sql;
}

function migrationSource(name: string, timestamp: number, up: string[], down: string[]): string {
  const lines = (queries: string[]) =>
    queries.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n');
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${timestamp} implements MigrationInterface {
  name = '${name}${timestamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

async function main(): Promise<number> {
  const [command, name] = process.argv.slice(2);
  const config = AppConfig.parse(process.env);
  const dataSource = await new DataSource(dataSourceOptions(config.database)).initialize();
  try {
    await runMigrations(dataSource);
    const sql = await pendingSchemaChanges(dataSource);
    const up = sql.upQueries.map((q) => q.query);
    const down = sql.downQueries.map((q) => q.query).reverse();
    if (command === 'check') {
      if (up.length === 0) {
        console.log('migration check: entities and migrations agree');
        return 0;
      }
      console.error('migration check: the entities differ from the migrations; missing SQL:');
      for (const q of up) console.error(`  ${q};`);
      console.error('run `npm run migration:generate -- <Name>` and commit the file');
      return 1;
    }
    if (command === 'generate' && name && /^[A-Z][A-Za-z0-9]*$/.test(name)) {
      if (up.length === 0) {
        console.log('nothing to generate: entities and migrations agree');
        return 0;
      }
      const timestamp = Date.now();
      const file = join(
        import.meta.dirname,
        '..',
        '..',
        'src',
        'database',
        'migrations',
        `${timestamp}-${name}.ts`,
      );
      writeFileSync(file, migrationSource(name, timestamp, up, down));
      console.log(`wrote ${file}; add it to src/database/migrations/index.ts`);
      return 0;
    }
    console.error('usage: cli.js check | generate <PascalCaseName>');
    return 2;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

import { mkdirSync } from 'node:fs';
import type { DataSourceOptions } from 'typeorm';
import { DatabaseConfig } from '../config/app-config.js';
import { User } from '../users/user.entity.js';
import { OneTimeToken } from '../auth/one-time-token.entity.js';
import { RefreshToken } from '../auth/refresh-token.entity.js';
import { Session } from '../auth/session.entity.js';
import { OutboxMail } from '../mail/outbox-mail.entity.js';
import { pgliteDriver } from './pglite-driver.js';
import { MIGRATIONS } from './migrations/index.js';

export const ENTITIES = [User, OneTimeToken, Session, RefreshToken, OutboxMail];

/** TypeORM options for PostgreSQL or the embedded PGlite; migrations only, never `synchronize`. */
export function dataSourceOptions(db: DatabaseConfig): DataSourceOptions {
  const common = {
    type: 'postgres',
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
  } satisfies Partial<DataSourceOptions>;
  if (db.kind === 'pglite') {
    if (db.dataDir) mkdirSync(db.dataDir, { recursive: true });
    return { ...common, driver: pgliteDriver(db.dataDir) };
  }
  return {
    ...common,
    url: db.url,
    poolSize: db.poolSize,
    connectTimeoutMS: 5_000,
    extra: {
      // fail fast while the server is down instead of queueing requests for ever
      connectionTimeoutMillis: 5_000,
      statement_timeout: 10_000,
      lock_timeout: 5_000,
      idle_in_transaction_session_timeout: 30_000,
    },
  };
}

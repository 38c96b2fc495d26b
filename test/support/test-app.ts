import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { AppConfig, type Env } from '../../src/config/app-config.js';
import { OutboxWorker } from '../../src/mail/outbox.worker.js';
import { appDatabase } from './databases.js';
import { Mailbox } from './mailbox.js';

export { onPostgres, TEST_DATABASE_URL } from './databases.js';
export const FRONTEND_URL = 'https://app.example.test';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** The base URL of the listening server. */
  url: string;
  /** supertest against the running server. */
  http: () => request.Agent;
  db: DataSource;
  mailbox: Mailbox;
  /** Waits until the outbox worker has nothing in flight. */
  mailIdle: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Starts the whole service over HTTP on a real database, with its mail going to a real SMTP
 * server started for the test. `env` overrides the configuration; `logDestination` receives the
 * JSON log lines (set LOG_LEVEL in `env` to have some).
 */
export async function startTestApp(
  env: Env = {},
  mailbox?: Mailbox,
  logDestination?: DestinationStream,
): Promise<TestApp> {
  const box = mailbox ?? (await new Mailbox().start());
  // a database of its own, unless the test shares one on purpose (instances of one cluster)
  const database = env.DATABASE_URL ? undefined : await appDatabase();
  const config = AppConfig.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: database?.url,
    SMTP_URL: box.url,
    FRONTEND_URL,
    JWT_SECRET: 'test-secret-that-is-long-enough-0123456789',
    MAIL_POLL_INTERVAL: '200ms',
    MAIL_RETRY_DELAY: '200ms',
    // every test talks from 127.0.0.1: the limits are off unless a test turns one on
    RATE_LIMIT_AUTH_PER_IP: '0',
    RATE_LIMIT_LOGIN_PER_ACCOUNT: '0',
    RATE_LIMIT_MAIL_PER_ADDRESS: '0',
    ...env,
  });
  const app = await createApp(config, { logDestination });
  await app.listen({ port: env.PORT ? config.port : 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const worker = app.get(OutboxWorker);
  return {
    app,
    config,
    url,
    http: () => request.agent(url),
    db: app.get<DataSource>(getDataSourceToken()),
    mailbox: box,
    mailIdle: () => worker.idle(),
    close: async () => {
      await app.close();
      await database?.drop();
      if (!mailbox) await box.stop();
    },
  };
}

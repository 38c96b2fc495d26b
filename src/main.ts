import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory.js';
import { AppConfig, ConfigError } from './config/app-config.js';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.parse(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const started = performance.now();
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const logger = new Logger('Bootstrap');
  if (config.jwt.secretIsGenerated) {
    logger.warn(
      'JWT_SECRET is not set: using a random development secret; tokens end with this process',
    );
  }
  const database =
    config.database.kind === 'pglite'
      ? `embedded PGlite (${config.database.dataDir ?? 'in memory'})`
      : `PostgreSQL (${new URL(config.database.url).host})`;
  const mail = config.mail.smtpUrl
    ? `SMTP (${new URL(config.mail.smtpUrl).host})`
    : config.production
      ? 'printed to the log (SMTP_URL not set)'
      : `printed to the log and listed at ${config.publicUrl}/dev/mail (SMTP_URL not set)`;
  logger.log(
    `ready in ${Math.round(performance.now() - started)} ms: API ${config.publicUrl}/api/v1, docs ${config.publicUrl}/docs; ` +
      `database: ${database}; mail: ${mail}`,
  );
}

void bootstrap();

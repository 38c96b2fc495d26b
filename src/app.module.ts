import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AccountsModule } from './accounts/accounts.module.js';
import { AuthModule } from './auth/auth.module.js';
import { EventPublisher } from './common/event-publisher.js';
import { ProblemFilter } from './common/errors/problem.filter.js';
import { loggerOptions } from './common/logging.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { MailModule } from './mail/mail.module.js';
import { DevMailModule } from './mail/dev-mail.module.js';
import { PagesModule } from './pages/pages.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logDestination?: DestinationStream): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerOptions(config, logDestination)),
        EventEmitterModule.forRoot({ wildcard: false }),
        DatabaseModule,
        RateLimitModule,
        MailModule,
        AuthModule,
        AccountsModule,
        HealthModule,
        ...(config.frontendUrl === config.publicUrl ? [PagesModule] : []),
        ...(!config.mail.smtpUrl && !config.production ? [DevMailModule] : []),
      ],
      providers: [EventPublisher, { provide: APP_FILTER, useClass: ProblemFilter }],
      exports: [EventPublisher],
    };
  }
}

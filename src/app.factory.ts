import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { ASSET_PATHS, PAGE_PATHS } from './pages/pages.controller.js';
import { ProblemDto } from './common/errors/problem.dto.js';
import { createValidationPipe } from './common/validation.js';
import { registerRequestLogging, requestId } from './common/logging.js';
import { acceptJsonOnly } from './common/http/json-body.js';
import { registerSecurityHeaders } from './common/http/security-headers.js';
import { AppConfig } from './config/app-config.js';

export const API_PREFIX = 'api/v1';
export const BODY_LIMIT = 64 * 1024;

/** Builds the OpenAPI document of the app. */
export function createOpenApiDocument(app: NestFastifyApplication) {
  const config = new DocumentBuilder()
    .setTitle('Accounts API')
    .setDescription(
      'Registration, email verification, login with rotating refresh tokens, password and email flows. ' +
        'Errors are RFC 9457 problem documents with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDto],
    operationIdFactory: (_controller, method) => method,
  });
}

export interface AppOptions {
  /** Where the JSON log lines go (default: stdout); the tests read them back. */
  logDestination?: DestinationStream;
}

/** Creates the configured application (not yet listening); used by main.ts and the tests. */
export async function createApp(
  config: AppConfig,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true },
    genReqId: requestId,
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options.logDestination),
    adapter,
    {
      bufferLogs: true,
      abortOnError: false,
      bodyParser: false,
    },
  );
  const fastify = app.getHttpAdapter().getInstance();
  acceptJsonOnly(fastify, BODY_LIMIT);
  registerSecurityHeaders(fastify);
  app.useLogger(app.get(Logger));
  await registerRequestLogging(app);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      'health/live',
      'health/ready',
      'dev/mail',
      'dev/mail/:id',
      ...PAGE_PATHS,
      ...ASSET_PATHS,
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  app.enableCors({
    origin: config.corsOrigins,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    maxAge: 600,
  });

  const document = createOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

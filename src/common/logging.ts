import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { type Params, PinoLogger } from 'nestjs-pino';
import type { DestinationStream, LoggerOptions } from 'pino';
import { AppConfig } from '../config/app-config.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Fastify's request id: the caller's `X-Request-Id` when it looks like one, else a UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
}

/** What each log line of a request carries: its id and route, never its headers or body. */
function requestBindings(request: FastifyRequest) {
  return {
    id: request.id,
    method: request.method,
    url: request.url.split('?')[0],
    userAgent: request.headers['user-agent'],
    remoteAddress: request.ip,
  };
}

/** The level of the one line logged per request: 503 is an expected outage answer (database down). */
function levelOf(statusCode: number): 'info' | 'warn' | 'error' {
  return statusCode === 503 ? 'warn' : statusCode >= 500 ? 'error' : 'info';
}

/**
 * Structured JSON logs (pino). Bodies are never logged; credentials are redacted wherever they
 * might appear. nestjs-pino provides the application logger; its per-request middleware is not
 * mounted (see {@link registerRequestLogging}).
 */
export function loggerOptions(config: AppConfig, destination?: DestinationStream): Params {
  const options: LoggerOptions = {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
  };
  return { pinoHttp: destination ? [options, destination] : options, forRoutes: [] };
}

/**
 * Every line logged while a request is handled carries `req` (id, method, URL without query),
 * through nestjs-pino's request context; at `info` and below, one line per request when it ends
 * (health probes excepted). Done with two Fastify hooks rather than nestjs-pino's middleware:
 * Nest middleware on Fastify goes through @fastify/middie, which with pino-http cost a third of
 * a health check's time (docs/performance.md). The context opens in `preHandler`, after the body
 * is read, so that it reaches guards, handlers and services.
 */
export async function registerRequestLogging(app: NestFastifyApplication): Promise<void> {
  const logger = await app.resolve(PinoLogger);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preHandler', (request, _reply, done) => {
    logger.runInContext(done, { bindings: { req: requestBindings(request) } });
  });
  if (!PinoLogger.root.isLevelEnabled('info')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!request.url.startsWith('/health/')) {
      PinoLogger.root[levelOf(reply.statusCode)](
        {
          req: requestBindings(request),
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { AppConfig } from '../config/app-config.js';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Fastify's request id: the caller's `X-Request-Id` when it looks like one, else a UUID. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Structured JSON logs with a request id on every line of a request. Bodies are never logged;
 * credentials in headers are redacted; URLs are logged without their query string.
 */
export function loggerOptions(config: AppConfig, destination?: DestinationStream): Params {
  const options: Options = {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: {
        id: string;
        method: string;
        url: string;
        headers: Record<string, unknown>;
        remoteAddress?: string;
      }) => ({
        id: req.id,
        method: req.method,
        url: req.url.split('?')[0],
        userAgent: req.headers['user-agent'],
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // 503 is an expected outage answer (database down), logged once by the filter
    customLogLevel: (_req, res, err) =>
      res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info',
    // one line per request at `info`; above it, no per-request work at all
    autoLogging: ['trace', 'debug', 'info'].includes(config.logLevel)
      ? { ignore: (req) => (req.url ?? '').startsWith('/health/') }
      : false,
  };
  return { pinoHttp: destination ? [options, destination] : options };
}

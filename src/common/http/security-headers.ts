import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

const HELMET_OPTIONS: HelmetOptions = {
  referrerPolicy: { policy: 'no-referrer' },
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
};

/**
 * The headers helmet sets with HELMET_OPTIONS. They are the same for every answer, so helmet runs
 * once, against a recording response, instead of once per request as @fastify/helmet does
 * (it rebuilds the middleware and re-parses the CSP on every request: 6 % of a health check).
 */
function helmetHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => undefined,
  } as unknown as ServerResponse;
  helmet(HELMET_OPTIONS)({} as IncomingMessage, recorder, (error?: unknown) => {
    if (error instanceof Error) throw error; // an invalid option: fail at start-up
  });
  return headers;
}

/**
 * Security headers on every answer (helmet's), `Referrer-Policy: no-referrer` so that a token in a
 * page URL never leaks, and `Cache-Control: no-store` unless a route set its own (tokens and
 * profiles must not sit in caches). The CSP allows Swagger UI's own files only.
 */
export function registerSecurityHeaders(fastify: FastifyInstance): void {
  const headers = { ...helmetHeaders(), 'cache-control': 'no-store' };
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers); // a route that sets its own Cache-Control overrides this one
    done();
  });
}

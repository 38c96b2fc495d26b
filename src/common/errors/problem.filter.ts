import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainException } from './domain.exception.js';
import { ERROR_CODES, ErrorCode, FieldError } from './error-codes.js';
import { isDatabaseUnavailable } from './database-errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ErrorCode;
  errors?: FieldError[];
  requestId?: string;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/** Details of framework errors that are safe and useful to show to a client. */
const FRAMEWORK_DETAIL: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty but Content-Type is application/json.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The body is larger than 64 KiB.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The body must be sent as application/json.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
  FST_ERR_CTP_INVALID_CONTENT_TYPE: 'The body must be sent as application/json.',
  DUPLICATE_KEY: 'A key appears twice in one object of the body.',
};

export function problemType(code: ErrorCode): string {
  return `urn:accounts:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

export function problemOf(code: ErrorCode, detail?: string, errors?: FieldError[]): Problem {
  const { status, title } = ERROR_CODES[code];
  return {
    type: problemType(code),
    title,
    status,
    code,
    ...(detail && { detail }),
    ...(errors && { errors }),
  };
}

/**
 * The one exception filter of the service: every failure leaves as `application/problem+json`
 * with a stable code. Expected failures are not logged as errors; anything unexpected becomes a
 * generic 500 (or 503 while the database is unreachable) and is logged with its request id.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const requestId = requestIdOf(request);
    const { problem, headers } = this.toProblem(exception, requestId);
    void reply
      .status(problem.status)
      .headers({
        ...headers,
        'content-type': 'application/problem+json',
        'cache-control': 'no-store',
      })
      .send({ ...problem, requestId });
  }

  private toProblem(
    exception: unknown,
    requestId: string | undefined,
  ): { problem: Problem; headers?: Record<string, string> } {
    if (exception instanceof DomainException) {
      return {
        problem: problemOf(exception.code, exception.detail, exception.errors),
        headers: exception.headers,
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = CODE_BY_STATUS[status];
      if (code) return { problem: { ...problemOf(code), status } };
      if (status < 500)
        return { problem: { ...problemOf('VALIDATION_FAILED'), status, title: exception.message } };
    }
    const framework = frameworkError(exception);
    if (framework) {
      const code = CODE_BY_STATUS[framework.statusCode] ?? 'VALIDATION_FAILED';
      return { problem: problemOf(code, FRAMEWORK_DETAIL[framework.code ?? ''] ?? undefined) };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ requestId, err: describe(exception) }, 'database unavailable');
      return { problem: problemOf('SERVICE_UNAVAILABLE'), headers: { 'retry-after': '5' } };
    }
    this.logger.error({ requestId, err: exception }, 'unexpected error');
    return {
      problem: problemOf(
        'INTERNAL_ERROR',
        `Something went wrong. Quote request id ${requestId ?? 'n/a'} when reporting it.`,
      ),
    };
  }
}

function requestIdOf(request: FastifyRequest | undefined): string | undefined {
  const id = (request?.raw as { id?: unknown } | undefined)?.id ?? request?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Fastify's own client errors (bad JSON, body too large, wrong content type). */
function frameworkError(exception: unknown): { statusCode: number; code?: string } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { statusCode, code } = exception as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  return { statusCode, code: typeof code === 'string' ? code : undefined };
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}

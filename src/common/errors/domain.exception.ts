import { ErrorCode, FieldError } from './error-codes.js';

/**
 * An expected failure of a use case, carrying one of the contract's error codes.
 * The global problem filter turns it into an RFC 9457 response.
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? code);
    this.name = 'DomainException';
  }
}

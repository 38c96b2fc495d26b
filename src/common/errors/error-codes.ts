/** The stable error codes of the API contract, with their HTTP status and title. */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  WEAK_PASSWORD: { status: 400, title: 'The password does not meet the password policy' },
  INVALID_PASSWORD: { status: 400, title: 'The password is not correct' },
  TOKEN_INVALID: { status: 400, title: 'The token is not valid' },
  TOKEN_USED: { status: 400, title: 'The token was already used' },
  TOKEN_EXPIRED: { status: 400, title: 'The token has expired' },
  INVALID_CREDENTIALS: { status: 401, title: 'Invalid email or password' },
  UNAUTHORIZED: { status: 401, title: 'Authentication is required' },
  EMAIL_NOT_VERIFIED: { status: 403, title: 'The email address is not verified yet' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  EMAIL_TAKEN: { status: 409, title: 'The email address belongs to another account' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body must be JSON' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL_ERROR: { status: 500, title: 'Internal server error' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service is temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  field: string;
  message: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES } from './error-codes.js';

export class FieldErrorDto {
  /** @example "email" */
  field!: string;
  /** @example "email must be an email" */
  message!: string;
}

/** An RFC 9457 problem document, as every error of the API is answered. */
export class ProblemDto {
  /** @example "urn:accounts:problem:validation-failed" */
  type!: string;
  /** @example "The request is not valid" */
  title!: string;
  /** @example 400 */
  status!: number;
  /** @example "One or more fields are not valid." */
  detail?: string;
  @ApiProperty({ enum: Object.keys(ERROR_CODES), example: 'VALIDATION_FAILED' })
  code!: string;
  @ApiProperty({ type: [FieldErrorDto], required: false })
  errors?: FieldErrorDto[];
  /** Correlation id of the request, also in the logs. @example "1b4e28ba-2fa1-11d2-883f-0016d3cca427" */
  requestId?: string;
}

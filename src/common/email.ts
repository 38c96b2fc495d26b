import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength } from 'class-validator';

/** Emails are compared case-insensitively: stored and looked up trimmed and lower-cased. */
export function normalizeEmail(value: unknown): unknown {
  return typeof value === 'string' ? value.trim().toLowerCase() : value;
}

/** An email field: a single string, normalised, at most 254 characters, one valid address. */
export function IsAccountEmail() {
  return applyDecorators(
    ApiProperty({ type: String, format: 'email', maxLength: 254 }),
    Transform(({ value }) => normalizeEmail(value)),
    IsString(),
    MaxLength(254),
    IsEmail({
      allow_display_name: false,
      allow_ip_domain: false,
      require_tld: false,
      allow_utf8_local_part: true,
    }),
  );
}

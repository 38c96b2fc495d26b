import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsAccountEmail } from '../../common/email.js';

export class RegisterDto {
  /**
   * The account's address; compared case-insensitively.
   * @example "ada@example.com"
   */
  @IsAccountEmail()
  email!: string;

  /**
   * At least PASSWORD_MIN_LENGTH characters (8 by default), at most 256; used exactly as given.
   * @example "correct horse battery staple"
   */
  @IsString()
  password!: string;

  /**
   * The name shown to the person; optional.
   * @example "Ada Lovelace"
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName?: string;
}

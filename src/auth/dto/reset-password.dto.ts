import { IsString, MaxLength } from 'class-validator';
import { TokenDto } from './token.dto.js';

export class ResetPasswordDto extends TokenDto {
  /**
   * The new password; the password policy applies.
   * @example "a brand new passphrase"
   */
  @IsString()
  @MaxLength(4096)
  newPassword!: string;
}

export class TokenValidDto {
  /** @example true */
  valid!: true;
}

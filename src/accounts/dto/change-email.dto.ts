import { IsString, MaxLength } from 'class-validator';
import { IsAccountEmail } from '../../common/email.js';

export class ChangeEmailDto {
  /** The address to move the account to; it gets a confirmation link. @example "ada.king@example.com" */
  @IsAccountEmail()
  newEmail!: string;

  /** The account's current password. @example "correct horse battery staple" */
  @IsString()
  @MaxLength(4096)
  password!: string;
}

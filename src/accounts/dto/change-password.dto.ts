import { IsString, MaxLength } from 'class-validator';

export class ChangePasswordDto {
  /** The password in use now. @example "correct horse battery staple" */
  @IsString()
  @MaxLength(4096)
  currentPassword!: string;

  /** The new password; the password policy applies. @example "a brand new passphrase" */
  @IsString()
  @MaxLength(4096)
  newPassword!: string;
}

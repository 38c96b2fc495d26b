import { IsString, MaxLength } from 'class-validator';
import { IsAccountEmail } from '../../common/email.js';

export class LoginDto {
  /** @example "ada@example.com" */
  @IsAccountEmail()
  email!: string;

  /** @example "correct horse battery staple" */
  @IsString()
  @MaxLength(1024)
  password!: string;
}

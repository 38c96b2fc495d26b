import { IsAccountEmail } from '../../common/email.js';

export class EmailDto {
  /** @example "ada@example.com" */
  @IsAccountEmail()
  email!: string;
}

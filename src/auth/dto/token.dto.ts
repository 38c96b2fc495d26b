import { IsString, MaxLength } from 'class-validator';

export class TokenDto {
  /**
   * The token from the link in the mail.
   * @example "q1Xn3v8dVJ2mOe6V0bZ3kC4yR9tW5uH7aL2sD8fG1jK"
   */
  @IsString()
  @MaxLength(512)
  token!: string;
}

import { IsString, MaxLength } from 'class-validator';

export class RefreshDto {
  /** The refresh token of the last token pair. @example "Zb0lW5m1c7xq3HkT9eRr2yN6uJ8pA4sD0fG5hK1jL3z" */
  @IsString()
  @MaxLength(512)
  refreshToken!: string;
}

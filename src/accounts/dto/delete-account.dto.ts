import { IsString, MaxLength } from 'class-validator';

export class DeleteAccountDto {
  /** The account's current password. @example "correct horse battery staple" */
  @IsString()
  @MaxLength(4096)
  password!: string;
}

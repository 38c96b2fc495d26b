import { IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

/** The editable profile fields; anything else (email, id, password…) is refused. */
export class UpdateAccountDto {
  /**
   * The name shown to the person, 1 to 100 characters; `null` clears it.
   * @example "Ada King"
   */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName?: string | null;
}

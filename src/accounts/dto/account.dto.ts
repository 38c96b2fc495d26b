import { User } from '../../users/user.entity.js';

/** The profile of an account, as the API shows it: never a password, a hash or a token. */
export class AccountDto {
  /** @example "0b9e4b52-5f0a-4a5e-9d3c-2a1f7c1d9e11" */
  id!: string;
  /** @example "ada@example.com" */
  email!: string;
  /** @example "Ada Lovelace" */
  displayName!: string | null;
  /** @example true */
  emailVerified!: boolean;
  /** @example "2026-11-23T09:30:00.000Z" */
  createdAt!: string;
  /** @example "2026-11-23T09:45:00.000Z" */
  updatedAt!: string;
}

export function toAccountDto(user: User): AccountDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

import { Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { DomainException } from '../common/errors/domain.exception.js';
import { AppConfig } from '../config/app-config.js';

/** The person a password is for: it must not be built from their address or name. */
export interface PasswordOwner {
  email: string;
  displayName?: string | null;
}

/** Parts of the owner's identity shorter than this are too common to refuse as substrings. */
const MIN_PERSONAL_PART = 4;

/** Lower-cased, without separators, digits and symbols: `Ada.Lovelace-1815!` → `adalovelace`. */
function letters(value: string): string {
  return value
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[^\p{L}]/gu, '');
}

/**
 * The rules every new password meets (register, change, reset): length in Unicode code points,
 * not one of the ~49,000 common passwords of zxcvbn-ts, not built from the owner's email or name.
 * No composition rules. Passwords are never trimmed or case-folded for storage.
 */
@Injectable()
export class PasswordPolicy {
  private readonly common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

  constructor(private readonly config: AppConfig) {}

  /** Throws WEAK_PASSWORD when the length is out of bounds; cheap, so it runs before any hashing. */
  assertLength(password: string): void {
    const { minLength, maxLength } = this.config.password;
    const length = [...password].length;
    if (length < minLength) {
      throw new DomainException(
        'WEAK_PASSWORD',
        `The password must have at least ${minLength} characters.`,
      );
    }
    if (length > maxLength) {
      throw new DomainException(
        'WEAK_PASSWORD',
        `The password must have at most ${maxLength} characters.`,
      );
    }
  }

  /** Throws WEAK_PASSWORD with the reason in `detail` when the password is not acceptable. */
  assertAcceptable(password: string, owner: PasswordOwner): void {
    this.assertLength(password);
    if (this.common.has(password.toLowerCase())) {
      throw new DomainException(
        'WEAK_PASSWORD',
        'This password is among the most common passwords; choose another.',
      );
    }
    if (this.isPersonal(password, owner)) {
      throw new DomainException(
        'WEAK_PASSWORD',
        'The password must not be built from your email address or name.',
      );
    }
  }

  private isPersonal(password: string, owner: PasswordOwner): boolean {
    const candidate = letters(password);
    const [local, domain] = owner.email.toLowerCase().split('@');
    const parts = [
      local,
      domain?.split('.')[0],
      owner.displayName ?? '',
      ...(owner.displayName ?? '').split(/\s+/),
    ]
      .map(letters)
      .filter((part) => part.length >= MIN_PERSONAL_PART);
    if (password.toLowerCase().includes(owner.email.toLowerCase())) return true;
    if (candidate.length === 0) return false;
    // Built from: the letters of the password are mostly one of the owner's own words.
    return parts.some((part) => candidate.includes(part) && part.length * 2 >= candidate.length);
  }
}

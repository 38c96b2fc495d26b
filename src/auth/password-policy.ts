import { Injectable } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception.js';
import { AppConfig } from '../config/app-config.js';

/** The rules a new password must meet; lengths count Unicode code points. */
@Injectable()
export class PasswordPolicy {
  constructor(private readonly config: AppConfig) {}

  /** Throws WEAK_PASSWORD with the reason when the password is not acceptable. */
  assertAcceptable(password: string): void {
    const { minLength, maxLength } = this.config.password;
    const length = [...password].length;
    if (length < minLength) {
      throw new DomainException('WEAK_PASSWORD', `The password must have at least ${minLength} characters.`);
    }
    if (length > maxLength) {
      throw new DomainException('WEAK_PASSWORD', `The password must have at most ${maxLength} characters.`);
    }
  }
}

import { DomainException } from '../common/errors/domain.exception.js';
import { AppConfig } from '../config/app-config.js';
import { PasswordPolicy } from './password-policy.js';

const owner = { email: 'ada.lovelace@example.com', displayName: 'Ada Lovelace' };

function reasonFor(policy: PasswordPolicy, password: string): string | undefined {
  try {
    policy.assertAcceptable(password, owner);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainException);
    expect((error as DomainException).code).toBe('WEAK_PASSWORD');
    return (error as DomainException).detail;
  }
}

describe('PasswordPolicy', () => {
  const policy = new PasswordPolicy(AppConfig.parse({}));

  it('counts Unicode code points against PASSWORD_MIN_LENGTH (default 8)', () => {
    expect(reasonFor(policy, '🔑'.repeat(7))).toMatch(/at least 8/);
    expect(reasonFor(policy, '🔑'.repeat(8))).toBeUndefined();
    expect(reasonFor(policy, 'abcdefg')).toMatch(/at least 8/);
  });

  it('follows a configured PASSWORD_MIN_LENGTH', () => {
    const strict = new PasswordPolicy(AppConfig.parse({ PASSWORD_MIN_LENGTH: '15' }));
    expect(reasonFor(strict, 'fourteen chars')).toMatch(/at least 15/);
    expect(reasonFor(strict, 'fifteen chars!!')).toBeUndefined();
  });

  it('refuses more than 256 code points', () => {
    expect(reasonFor(policy, 'x'.repeat(255) + '🔑')).toBeUndefined();
    expect(reasonFor(policy, 'x'.repeat(256) + '🔑')).toMatch(/at most 256/);
  });

  it('refuses common passwords, whatever their case', () => {
    for (const common of ['password', 'PASSWORD1', 'qwertyuiop', '12345678', 'iloveyou']) {
      expect(reasonFor(policy, common)).toMatch(/common/);
    }
  });

  it('refuses passwords built from the email address or the name', () => {
    for (const personal of [
      'ada.lovelace@example.com',
      'adalovelace',
      'AdaLovelace1815',
      'lovelace2024!',
      'example-2024',
    ]) {
      expect(reasonFor(policy, personal)).toMatch(/email address or name/);
    }
  });

  it('accepts long passphrases, digits-only and any script, with no composition rules', () => {
    for (const good of [
      'correct horse battery staple',
      '8391746205518372',
      'пароль-очень-длинный',
      'ada wrote the first program in 1843',
    ]) {
      expect(reasonFor(policy, good)).toBeUndefined();
    }
  });
});

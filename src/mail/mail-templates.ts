/** Every mail the service sends: its subject and the variables its templates use. */
export const MAIL_TEMPLATES = {
  'verify-email': { subject: 'Confirm your email address' },
  'account-exists': { subject: 'Someone tried to register with your address' },
  'reset-password': { subject: 'Reset your password' },
  'password-changed': { subject: 'Your password was changed' },
} as const satisfies Record<string, { subject: string }>;

export type MailTemplate = keyof typeof MAIL_TEMPLATES;

export interface MailContext {
  displayName?: string | null;
  link?: string;
  [key: string]: unknown;
}

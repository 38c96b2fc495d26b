/** Every mail the service sends: its subject and the variables its templates use. */
export const MAIL_TEMPLATES = {
  'verify-email': { subject: 'Confirm your email address' },
  'account-exists': { subject: 'Someone tried to register with your address' },
  'reset-password': { subject: 'Reset your password' },
  'password-changed': { subject: 'Your password was changed' },
  'confirm-email-change': { subject: 'Confirm your new email address' },
  'email-change-requested': { subject: 'A change of your email address was requested' },
  'email-changed': { subject: 'Your email address was changed' },
  'confirm-account-deletion': { subject: 'Confirm the deletion of your account' },
  'account-deleted': { subject: 'Your account was deleted' },
} as const satisfies Record<string, { subject: string }>;

export type MailTemplate = keyof typeof MAIL_TEMPLATES;

export interface MailContext {
  displayName?: string | null;
  link?: string;
  [key: string]: unknown;
}

/** The pages behind the links in mails, used when no FRONTEND_URL is configured. */
export interface TokenPage {
  path: string;
  title: string;
  intro: string;
  button: string;
  danger?: boolean;
  /** The API route the button POSTs the token to (under /api/v1). */
  action: string;
  /** An API route that checks the token without using it, called when the page opens. */
  validate?: string;
  success: string;
  /** Asks for a new password (reset). */
  newPassword?: boolean;
  /** Where a person whose link is no longer good can ask for a new one. */
  again?: { action: string; label: string };
}

export const TOKEN_PAGES: TokenPage[] = [
  {
    path: 'verify-email',
    title: 'Confirm your email address',
    intro: 'Confirm this address to finish creating your account.',
    button: 'Confirm my address',
    action: '/auth/verify-email',
    success: 'Your email address is confirmed. You can sign in now.',
    again: { action: '/auth/resend-verification', label: 'Send me a new link' },
  },
  {
    path: 'reset-password',
    title: 'Choose a new password',
    intro:
      'Choose the new password of your account. Every device signed in to it will be signed out.',
    button: 'Set the new password',
    action: '/auth/reset-password',
    validate: '/auth/reset-password/validate',
    success: 'Your password was changed. Sign in with the new one.',
    newPassword: true,
    again: { action: '/auth/forgot-password', label: 'Send me a new link' },
  },
  {
    path: 'confirm-email-change',
    title: 'Confirm your new email address',
    intro: 'Confirm that this address should become the address of your account.',
    button: 'Confirm the new address',
    action: '/accounts/email/confirm',
    success: 'Your email address was changed. Sign in with the new address from now on.',
  },
  {
    path: 'confirm-account-deletion',
    title: 'Delete your account',
    intro: 'This deletes your account and everything in it, for good.',
    button: 'Delete my account',
    danger: true,
    action: '/accounts/delete/confirm',
    success: 'Your account was deleted. Goodbye.',
  },
];

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function layout(title: string, body: string, script?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/pages.css">
</head>
<body>
${body}
${script ? `<script src="${script}"></script>` : ''}
</body>
</html>
`;
}

export function renderTokenPage(page: TokenPage): string {
  const e = escapeHtml;
  const password = page.newPassword
    ? `<label for="newPassword">New password</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required>
<label for="confirmPassword">New password, again</label>
<input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required>
<p></p>`
    : '';
  const again = page.again
    ? `<form id="again" data-action="${e(page.again.action)}" hidden>
<label for="email">Your email address</label>
<input id="email" name="email" type="email" autocomplete="email" required>
<p><button type="submit">${e(page.again.label)}</button></p>
</form>`
    : '';
  return layout(
    page.title,
    `<main data-action="${e(page.action)}" data-success="${e(page.success)}"${page.validate ? ` data-validate="${e(page.validate)}"` : ''}>
<h1>${e(page.title)}</h1>
<p>${e(page.intro)}</p>
<form id="action">
${password}<button type="submit"${page.danger ? ' class="danger"' : ''}>${e(page.button)}</button>
</form>
<p id="status" role="status" hidden></p>
${again}
</main>`,
    '/assets/token-page.js',
  );
}

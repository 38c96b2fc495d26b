import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator.js';
import { escapeHtml, layout } from '../pages/pages.js';
import { PAGE_CSP } from '../pages/pages.controller.js';
import { DevMailbox } from './dev-mailbox.js';

/** A mail's own HTML: shown sandboxed, with its inline styles, links clickable, no script. */
const MAIL_CSP =
  "sandbox allow-popups allow-top-navigation-by-user-activation; default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function linkify(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
}

/** /dev/mail: the mails sent while SMTP_URL is unset. Never mounted in production. */
@ApiExcludeController()
@Public()
@Controller('dev/mail')
export class DevMailController {
  constructor(private readonly mailbox: DevMailbox) {}

  @Get()
  list(@Res({ passthrough: true }) reply: FastifyReply): string {
    void reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP);
    const rows = this.mailbox
      .list()
      .map(
        (m) => `<tr>
<td>${escapeHtml(m.sentAt.toISOString().replace('T', ' ').slice(0, 19))}</td>
<td>${escapeHtml(m.to)}</td>
<td><a href="/dev/mail/${m.id}">${escapeHtml(m.subject)}</a><pre>${linkify(m.text)}</pre></td>
</tr>`,
      )
      .join('\n');
    return layout(
      'Dev mailbox',
      `<main><h1>Dev mailbox</h1>
<p>Mails the service sent while <code>SMTP_URL</code> is not set, newest first (the last 100, until restart). Reload to see new ones.</p>
${rows ? `<table><thead><tr><th>sent</th><th>to</th><th>mail</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No mail yet.</p>'}
</main>`,
    );
  }

  @Get(':id')
  show(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply): string {
    const mail = this.mailbox.find(id);
    if (!mail) throw new NotFoundException();
    void reply.type('text/html; charset=utf-8').header('content-security-policy', MAIL_CSP);
    return mail.html;
  }
}

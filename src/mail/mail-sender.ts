import { Injectable, Logger } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { AppConfig } from '../config/app-config.js';
import { DevMailbox } from './dev-mailbox.js';
import { MAIL_TEMPLATES, MailContext, MailTemplate } from './mail-templates.js';

const TEMPLATE_DIR = fileURLToPath(new URL('templates', import.meta.url));

type Render = (context: object) => string;

function compile(file: string, options: { noEscape: boolean }): Render {
  return Handlebars.compile(readFileSync(join(TEMPLATE_DIR, file), 'utf8'), {
    strict: false,
    ...options,
  });
}

/**
 * Renders a mail (HTML in the shared layout, and plain text) and sends it with nodemailer: over
 * SMTP_URL, or, without it, to the log so that every flow works on a bare machine.
 * See docs/adr/0002-mail-without-nestjs-modules-mailer.md for why this is not MailerService.
 */
@Injectable()
export class MailSender {
  private readonly logger = new Logger('Mail');
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;
  private readonly layout = compile('layout.hbs', { noEscape: false });
  private readonly templates = new Map<MailTemplate, { html: Render; text: Render }>();

  constructor(
    private readonly config: AppConfig,
    private readonly devMailbox: DevMailbox,
  ) {
    // SMTP connections are pooled (up to 5, reused between mails) rather than opened per mail;
    // `?pool=false` in SMTP_URL turns that off
    this.transport = nodemailer.createTransport(
      config.mail.smtpUrl ? { url: config.mail.smtpUrl, pool: true } : { jsonTransport: true },
      { from: config.mail.from },
    );
  }

  render(
    template: MailTemplate,
    context: MailContext,
  ): { subject: string; html: string; text: string } {
    let compiled = this.templates.get(template);
    if (!compiled) {
      compiled = {
        html: compile(`${template}.hbs`, { noEscape: false }),
        text: compile(`${template}.txt`, { noEscape: true }),
      };
      this.templates.set(template, compiled);
    }
    const subject = MAIL_TEMPLATES[template].subject;
    const body = new Handlebars.SafeString(compiled.html(context));
    return { subject, html: this.layout({ subject, body }), text: compiled.text(context) };
  }

  async send(to: string, template: MailTemplate, context: MailContext): Promise<void> {
    const mail = this.render(template, context);
    await this.transport.sendMail({ to, ...mail });
    if (!this.config.mail.smtpUrl) {
      this.logger.log(`mail to ${to}: ${mail.subject}\n${mail.text}`);
      this.devMailbox.record({ to, ...mail });
    }
  }

  /** Closes the pooled SMTP connections (called by the outbox worker when it stops). */
  close(): void {
    this.transport.close();
  }
}

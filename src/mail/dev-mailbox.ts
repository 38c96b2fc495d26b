import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config.js';

export interface DevMail {
  id: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  sentAt: Date;
}

const KEPT = 100;

/**
 * The last mails "sent" while SMTP_URL is unset outside production, for /dev/mail: so that
 * register → verify → login works from a browser with nothing else installed.
 */
@Injectable()
export class DevMailbox {
  readonly enabled: boolean;
  private readonly mails: DevMail[] = [];

  constructor(config: AppConfig) {
    this.enabled = !config.mail.smtpUrl && !config.production;
  }

  record(mail: Omit<DevMail, 'id' | 'sentAt'>): void {
    if (!this.enabled) return;
    this.mails.unshift({ ...mail, id: randomUUID(), sentAt: new Date() });
    this.mails.length = Math.min(this.mails.length, KEPT);
  }

  list(): readonly DevMail[] {
    return this.mails;
  }

  find(id: string): DevMail | undefined {
    return this.mails.find((m) => m.id === id);
  }
}

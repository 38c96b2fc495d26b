import { Module } from '@nestjs/common';
import { DevMailController } from './dev-mail.controller.js';
import { MailModule } from './mail.module.js';

/** Mounted only when SMTP_URL is unset and NODE_ENV is not production. */
@Module({ imports: [MailModule], controllers: [DevMailController] })
export class DevMailModule {}

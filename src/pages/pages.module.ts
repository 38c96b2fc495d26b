import { Module } from '@nestjs/common';
import { PagesController } from './pages.controller.js';

/** Built-in pages for the links in mails; mounted only when FRONTEND_URL is not set. */
@Module({ controllers: [PagesController] })
export class PagesModule {}

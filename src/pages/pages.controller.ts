import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Public } from '../common/decorators/public.decorator.js';
import { renderTokenPage, TOKEN_PAGES } from './pages.js';

/** No inline script or style, nothing from elsewhere, no framing, no form posts. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

export const PAGE_PATHS = TOKEN_PAGES.map((page) => page.path);
export const ASSET_PATHS = ['assets/token-page.js', 'assets/pages.css'];

const ASSET_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
const ASSETS = new Map(
  ASSET_PATHS.map((path) => [
    `/${path}`,
    {
      type: ASSET_TYPES[path.split('.').pop()!],
      body: readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8'),
    },
  ]),
);
const PAGES = new Map(TOKEN_PAGES.map((page) => [`/${page.path}`, renderTokenPage(page)]));

/**
 * The service's own pages for the links in mails (`/verify-email?token=…` and the others), served
 * when FRONTEND_URL is not set. GET shows a page and changes nothing; its button POSTs the token.
 */
@ApiExcludeController()
@Public()
@Controller()
export class PagesController {
  @Get(PAGE_PATHS)
  page(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    const html = PAGES.get(request.url.split('?')[0]);
    if (!html) throw new NotFoundException();
    void reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP);
    return html;
  }

  @Get(ASSET_PATHS)
  asset(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): string {
    const asset = ASSETS.get(request.url.split('?')[0]);
    if (!asset) throw new NotFoundException();
    void reply
      .type(asset.type)
      .header('content-security-policy', PAGE_CSP)
      .header('cache-control', 'public, max-age=3600');
    return asset.body;
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../lib/log.js';
import type { HubClient } from './hub-client.js';
import { renderPage, sendHtml, type Site } from './render.js';

export interface PagesOptions {
  client: HubClient;
  site: Site;
  /** The hub's public origin, for absolute links (Open Graph, the link to share). */
  publicBaseUrl: string;
  /** Signs the tokens of the pages' own forms (page-form.ts). */
  formSecret: string;
  log: Logger;
}

/** What a page handler gets: the visitor's request, the path's parameters and the shared options. */
export interface PageRequest {
  req: IncomingMessage;
  res: ServerResponse;
  params: string[];
  options: PagesOptions;
}

/** A page that says what went wrong, in the layout, with the status a machine would get. */
export function sendMessagePage(request: Pick<PageRequest, 'res' | 'options'>, status: number, title: string, message: string): void {
  sendHtml(request.res, status, renderPage(request.options.site, 'message', { title, message }, { title, description: message }));
}


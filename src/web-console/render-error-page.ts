import { html } from 'ghtml';
import { renderLayout } from './render-layout.js';

/** A refusal or an error, as a page: the status' title and what to do. */
export function renderErrorPage(status: number, message: string, viewer?: string): string {
  const title = status === 401 ? 'Sign-in required' : status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'Error';
  return renderLayout({ title, ...(viewer ? { viewer } : {}), body: html`<p class="refusal" role="alert">${message}</p>` });
}

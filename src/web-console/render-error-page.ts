import { html } from 'ghtml';
import { renderLayout } from './render-layout.js';

/** A sign-in link a page offers: where it starts and what it says ("Sign in with Slack"). */
export interface SignInOffer {
  href: string;
  label: string;
}

/** A refusal or an error, as a page: the status' title, what to do, and a link for each sign-in in `offers`. */
export function renderErrorPage(status: number, message: string, viewer?: string, offers: readonly SignInOffer[] = []): string {
  const title = status === 200 ? 'Signed out' : status === 400 ? 'Bad request' : status === 401 ? 'Sign-in required' : status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'Error';
  const links = offers.map((offer) => html`<p><a class="sign-in" href="${offer.href}">${offer.label}</a></p>`).join('');
  return renderLayout({ title, ...(viewer ? { viewer } : {}), body: html`<p class="${status === 200 ? 'notice' : 'refusal'}" role="${status === 200 ? 'status' : 'alert'}">${message}</p>!${links}` });
}

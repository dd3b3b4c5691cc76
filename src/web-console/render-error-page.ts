import { html } from 'ghtml';
import { renderLayout } from './render-layout.js';

/** A refusal or an error, as a page: the status' title, what to do, and the Slack sign-in link when `signIn` is given. */
export function renderErrorPage(status: number, message: string, viewer?: string, signIn?: string): string {
  const title = status === 200 ? 'Signed out' : status === 400 ? 'Bad request' : status === 401 ? 'Sign-in required' : status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : 'Error';
  const offer = signIn ? html`<p><a class="sign-in" href="${signIn}">Sign in with Slack</a></p>` : '';
  return renderLayout({ title, ...(viewer ? { viewer } : {}), body: html`<p class="${status === 200 ? 'notice' : 'refusal'}" role="${status === 200 ? 'status' : 'alert'}">${message}</p>!${offer}` });
}

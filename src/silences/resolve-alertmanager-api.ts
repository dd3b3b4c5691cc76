import { textRef } from '../shared/messages/text-ref.js';
import { SilenceSetupError } from './silence-setup-error.js';

/** Where Alertmanager's API is, in the forms its calls and its messages need. */
export interface AlertmanagerApi {
  /** The base URL without credentials, query or trailing slash, e.g. `http://127.0.0.1:9093`: fetched, and shown in messages. */
  base: string;
  /** `Basic …` made of the URL's user-info, when it has any: sent, never shown. */
  authorization?: string;
}

/**
 * Alertmanager's API address for an incident: `alertmanager.apiUrl` when configured, otherwise the
 * notification's `externalURL`. Credentials in the URL become an `Authorization: Basic` header
 * (fetch refuses them in URLs) and never appear in `base`. Throws `alertmanager_unknown` when there
 * is no http(s) address.
 */
export function resolveAlertmanagerApi(apiUrl: string | undefined, externalURL: string | undefined): AlertmanagerApi {
  const raw = apiUrl ?? externalURL ?? '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SilenceSetupError('alertmanager_unknown', textRef('card.silence.error.noExternalUrl'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SilenceSetupError('alertmanager_unknown', textRef('card.silence.error.badExternalUrl'));
  }
  const authorization =
    url.username === '' && url.password === '' ? undefined : `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return authorization === undefined ? { base } : { base, authorization };
}

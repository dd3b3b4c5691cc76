import { WardenError } from '../errors/warden-error.js';
import { describeFetchError } from '../shared/describe-fetch-error.js';
import { readBodyText } from '../shared/read-body-text.js';
import { sanitizeText } from '../shared/sanitize-text.js';
import type { AlertmanagerApi } from './resolve-alertmanager-api.js';

/** One matcher of a silence, as Alertmanager's API v2 takes and returns it. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** A silence to create (`POST /api/v2/silences`). */
export interface PostableSilence {
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** A silence as Alertmanager returns it. */
export interface GettableSilence extends PostableSilence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
  updatedAt?: string;
}

/** Alertmanager's silences API v2 at one address. Failures are `WardenError`s whose message says what happened and where. */
export interface SilenceApi {
  /** Creates a silence and returns Alertmanager's `silenceID`. */
  create(silence: PostableSilence): Promise<string>;
  /** The silence, or undefined when Alertmanager does not know it. */
  get(id: string): Promise<GettableSilence | undefined>;
  /** Silences matching every `filter` matcher (`name="value"`), expired ones included. */
  list(filter: readonly string[]): Promise<GettableSilence[]>;
  /** Expires a silence now. */
  expire(id: string): Promise<void>;
}

/** Options of {@link createSilenceApi}. */
export interface SilenceApiOptions {
  /** Per call; default 10 s. */
  timeoutMs?: number;
  /** Removes secrets from what Alertmanager answers before it becomes a message. */
  scrub?: (text: string) => string;
  fetch?: typeof fetch;
}

const READ_BYTES = 256 * 1024;
const EXCERPT_LENGTH = 160;
const TRANSIENT_STATUS = new Set([408, 425, 429]);
const SILENCE_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Calls Alertmanager's silences API v2 (`POST /api/v2/silences`, `GET /api/v2/silences`,
 * `GET` and `DELETE /api/v2/silence/{id}`) at `api.base`, sending `api.authorization` when set.
 * Unreachable, timed out, 5xx, 408 and 429 are `alertmanager_unavailable` (retryable); any other
 * refusal or an answer that is not the API's is `alertmanager_rejected`. Messages name the base
 * URL (never its credentials) and the cause: "Alertmanager unreachable at http://…: connection refused".
 */
export function createSilenceApi(api: AlertmanagerApi, options: SilenceApiOptions = {}): SilenceApi {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const scrub = options.scrub ?? ((text: string) => text);

  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (api.authorization !== undefined) headers.authorization = api.authorization;
    let response: Response;
    try {
      response = await doFetch(`${api.base}${path}`, {
        method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new WardenError('alertmanager_unavailable', `Alertmanager unreachable at ${api.base}: ${describeFetchError(error, timeoutMs / 1000)}`, { cause: error });
    }
    let text: string;
    try {
      text = (await readBodyText(response, READ_BYTES)).text;
    } catch (error) {
      throw new WardenError('alertmanager_unavailable', `Alertmanager at ${api.base} stopped answering: ${describeFetchError(error, timeoutMs / 1000)}`, { cause: error });
    }
    return { status: response.status, text };
  }

  function refusal(status: number, text: string, what: string): WardenError {
    const excerpt = sanitizeText(scrub(text), EXCERPT_LENGTH);
    const message = `Alertmanager at ${api.base} ${status >= 500 || TRANSIENT_STATUS.has(status) ? 'failed' : 'refused'} ${what}: HTTP ${status}${excerpt ? ` ${excerpt}` : ''}`;
    return new WardenError(status >= 500 || TRANSIENT_STATUS.has(status) ? 'alertmanager_unavailable' : 'alertmanager_rejected', message);
  }

  function parse<T>(text: string, what: string): T {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new WardenError('alertmanager_rejected', `Alertmanager at ${api.base} answered ${what} with something that is not JSON: is this Alertmanager's address?`);
    }
  }

  const silencePath = (id: string) => {
    if (!SILENCE_ID.test(id)) throw new WardenError('alertmanager_rejected', `"${sanitizeText(id, 70)}" is not an Alertmanager silence id`);
    return `/api/v2/silence/${id}`;
  };

  return {
    async create(silence) {
      const { status, text } = await call('POST', '/api/v2/silences', silence);
      if (status !== 200) throw refusal(status, text, 'the silence');
      const id = parse<{ silenceID?: unknown }>(text, 'the silence').silenceID;
      if (typeof id !== 'string' || !SILENCE_ID.test(id)) throw new WardenError('alertmanager_rejected', `Alertmanager at ${api.base} answered the silence without a silenceID`);
      return id;
    },
    async get(id) {
      const { status, text } = await call('GET', silencePath(id));
      if (status === 404) return undefined;
      if (status !== 200) throw refusal(status, text, `to show silence ${id}`);
      return parse<GettableSilence>(text, `silence ${id}`);
    },
    async list(filter) {
      const query = filter.map((matcher) => `filter=${encodeURIComponent(matcher)}`).join('&');
      const { status, text } = await call('GET', `/api/v2/silences${query ? `?${query}` : ''}`);
      if (status !== 200) throw refusal(status, text, 'to list silences');
      const silences = parse<unknown>(text, 'the silence list');
      if (!Array.isArray(silences)) throw new WardenError('alertmanager_rejected', `Alertmanager at ${api.base} answered the silence list with something that is not a list`);
      return silences as GettableSilence[];
    },
    async expire(id) {
      const { status, text } = await call('DELETE', silencePath(id));
      if (status !== 200) throw refusal(status, text, `to expire silence ${id}`);
    },
  };
}

import { WardenError } from '../errors/warden-error.js';
import type { AuditCheckpoint } from './audit-checkpoint.js';

/** Options of {@link postAuditCheckpoint}. */
export interface PostAuditCheckpointOptions {
  /** `audit.checkpoint.url`. */
  url: string;
  /** `audit.checkpoint.headers` (they may hold credentials: never quoted in errors). */
  headers?: Readonly<Record<string, string>>;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * POSTs the checkpoint as JSON (`{ seq, hash, at, mac? }`) to an external store, such as a WORM
 * bucket behind a small HTTPS endpoint. 2xx is success; anything else (a redirect too: it is not
 * followed), a timeout or a network error throws a retryable `checkpoint_post_failed` that names
 * the URL without its credentials or query.
 */
export async function postAuditCheckpoint(checkpoint: AuditCheckpoint, options: PostAuditCheckpointOptions): Promise<void> {
  const target = new URL(options.url);
  const where = `${target.origin}${target.pathname}`;
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { ...options.headers, 'content-type': 'application/json' };
  // fetch refuses a URL with user-info: it becomes Basic authentication, as in the http actions.
  if (target.username || target.password) {
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
    target.username = '';
    target.password = '';
  }
  let status: number;
  try {
    const response = await doFetch(target, {
      method: 'POST',
      headers,
      body: JSON.stringify(checkpoint),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    status = response.status;
    await response.body?.cancel();
  } catch (error) {
    const why = (error as Error).name === 'TimeoutError' ? 'no answer in time' : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name);
    throw new WardenError('checkpoint_post_failed', `could not post the audit checkpoint (seq ${checkpoint.seq}) to ${where}: ${why}`);
  }
  if (status < 200 || status > 299) {
    throw new WardenError('checkpoint_post_failed', `could not post the audit checkpoint (seq ${checkpoint.seq}) to ${where}: HTTP ${status}`);
  }
}

import { maskSecretFields } from './mask-secret-fields.js';
import { createSecretScrubber } from './scrub-secrets.js';

/**
 * Builds the scrubber for what actions and probes report (summaries, details, excerpts of what a
 * target or program answered): every known secret in every encoded form (see
 * `createSecretScrubber`), then every value named like a secret (see `maskSecretFields`). Apply it
 * to the whole text before any cut, so a cut never leaves half a secret.
 */
export function createResultScrubber(secrets: readonly string[]): (text: string) => string {
  const scrub = createSecretScrubber(secrets);
  return (text) => maskSecretFields(scrub(text));
}

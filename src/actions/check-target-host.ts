import { WardenError } from '../errors/warden-error.js';
import { isHostAllowed } from '../shared/is-host-allowed.js';
import { sanitizeText } from '../shared/sanitize-text.js';

/**
 * Refuses a rendered URL whose host the action may not reach: when the action lists `allowHosts`,
 * the host (and port) must match one of them, whether or not it came from a template. Config
 * loading already requires `allowHosts` of every action whose template chooses the host.
 *
 * @throws WardenError `host_not_allowed` (422) naming the host and the rules.
 */
export function checkTargetHost(url: URL, allowHosts: readonly string[] | undefined): void {
  if (allowHosts === undefined || isHostAllowed(url, allowHosts)) return;
  throw new WardenError(
    'host_not_allowed',
    `the host ${sanitizeText(url.host, 120)} is not one this action may reach (allowHosts: ${sanitizeText(allowHosts.join(', '), 200)})`,
  );
}

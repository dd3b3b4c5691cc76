import type { ActionConfig } from '../config/action-schema.js';
import type { Permission } from '../config/config-schema.js';

/**
 * The permission that running `action` from a card takes: `incident.respond` for the `http-check`
 * and `prometheus` probes, which only read; `action.run` for everything else.
 */
export function selectRunPermission(action: Pick<ActionConfig, 'kind'> | undefined): Permission {
  const kind = action?.kind;
  return kind === 'http-check' || kind === 'prometheus' ? 'incident.respond' : 'action.run';
}

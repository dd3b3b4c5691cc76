import type { Config, Permission } from '../config/config-schema.js';
import type { IncidentOperationResult } from '../incidents/incident-operation.js';
import type { ResponseDeps } from '../response/response-deps.js';
import type { InboundEvent } from '../model/inbound-event.js';

/**
 * What a card button does when clicked. `parse` checks the button's value (untrusted: anyone can
 * send any value with a valid signature of their own workspace) before anything is queued.
 */
export interface ButtonHandler<Value = unknown> {
  /** The card button's action id, e.g. `incident.acknowledge`. */
  actionId: string;
  permission: Permission;
  /** When the permission depends on the value (e.g. which action a button runs): overrides `permission`. */
  permissionFor?(value: Value, actions: Config['actions']): Permission;
  /** The value's meaning, or undefined when it is not a value this button sets. */
  parse(value: string): Value | undefined;
  run(deps: ResponseDeps, event: InboundEvent, value: Value): Promise<IncidentOperationResult>;
}

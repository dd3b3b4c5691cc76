import type { ChatCommand, Subcommand } from '../../commands/command.js';
import { checkOrigin } from '../access/check-origin.js';
import { checkPermission } from '../access/check-permission.js';
import type { Config, Permission } from '../config/config-schema.js';
import type { ButtonHandler } from './button-handler.js';
import type { InboundEvent } from '../model/inbound-event.js';
import { resolveCommand } from './resolve-command.js';

/** What an authorized event will run. */
export type InboundTarget =
  | { type: 'command'; command: ChatCommand; subcommand: Subcommand; args: Record<string, string> }
  | { type: 'button'; handler: ButtonHandler; value: unknown };

/**
 * Whether an event may run, and what: `usage` (unknown command, bad arguments, a button value
 * Warden did not set), `foreign` (another workspace, tenant or app), `denied` (no permission).
 * `subject` names what was asked for (`/incident ack`, `incident.acknowledge`) for the audit log.
 */
export type Authorization =
  | { ok: true; target: InboundTarget; subject: string; permission: Permission | null }
  | { ok: false; reason: 'usage' | 'foreign' | 'denied'; message: string; subject: string; permission?: Permission };

/**
 * Decides, from the configuration alone, whether `event` may run: checked when the request
 * arrives (so a refusal queues nothing) and again in the worker (the configuration may have
 * changed in between). Deny by default.
 */
export function authorizeInboundEvent(
  config: Pick<Config, 'slack' | 'lark' | 'access' | 'actions'>,
  commands: readonly ChatCommand[],
  buttons: readonly ButtonHandler[],
  event: InboundEvent,
): Authorization {
  const { input } = event;
  const asked = input.type === 'command' ? `/${input.name}` : input.actionId;
  // Before anything else: another workspace's or app's request gets no help either.
  const foreign = checkOrigin(config, event);
  if (foreign !== undefined) return { ok: false, reason: 'foreign', message: `Refused: ${foreign}.`, subject: asked };
  let target: InboundTarget;
  let subject = asked;
  let permission: Permission | null;
  if (input.type === 'command') {
    const resolved = resolveCommand(commands, input.name, input.text);
    if (!resolved.ok) return { ok: false, reason: 'usage', message: resolved.message, subject };
    subject = [`/${resolved.command.name}`, resolved.subcommand.name].filter(Boolean).join(' ');
    target = { type: 'command', command: resolved.command, subcommand: resolved.subcommand, args: resolved.args };
    permission = resolved.subcommand.permission;
  } else {
    const handler = buttons.find((b) => b.actionId === input.actionId);
    const value = handler?.parse(input.value);
    if (!handler || value === undefined) {
      return { ok: false, reason: 'usage', message: 'Warden does not know this button (the card may be from an older version); use /incident show <key> for a current card.', subject };
    }
    target = { type: 'button', handler, value };
    permission = handler.permissionFor?.(value, config.actions) ?? handler.permission;
  }
  if (permission !== null && !checkPermission(config.access, event.identity, permission)) {
    return {
      ok: false,
      reason: 'denied',
      permission,
      subject,
      message: `You may not use ${subject}: it needs the permission ${permission}, and ${event.identity} is in no group that has it. Ask whoever runs Warden to add you (access.groups and access.permissions in its configuration).`,
    };
  }
  return { ok: true, target, subject, permission };
}

import type { ChatCommand, Subcommand } from '../../commands/command.js';
import { checkOrigin } from '../access/check-origin.js';
import { checkPermission } from '../access/check-permission.js';
import type { Config, Permission } from '../config/config-schema.js';
import type { ButtonHandler } from './button-handler.js';
import type { InboundEvent } from '../model/inbound-event.js';
import { resolveCommand } from './resolve-command.js';
import { localize, localizeWith } from '../shared/messages/localize.js';
import type { LocalizedText } from '../shared/messages/locale.js';

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
  /** `message` is in the configured `locale`; `text` is the same refusal in every language. */
  | { ok: false; reason: 'usage' | 'foreign' | 'denied'; message: string; text: LocalizedText; subject: string; permission?: Permission };

/**
 * Decides, from the configuration alone, whether `event` may run: checked when the request
 * arrives (so a refusal queues nothing) and again in the worker (the configuration may have
 * changed in between). Deny by default.
 */
export function authorizeInboundEvent(
  config: Pick<Config, 'slack' | 'lark' | 'access' | 'actions'> & Partial<Pick<Config, 'locale'>>,
  commands: readonly ChatCommand[],
  buttons: readonly ButtonHandler[],
  event: InboundEvent,
): Authorization {
  const { input } = event;
  const locale = config.locale ?? 'en';
  const refuse = (text: LocalizedText) => ({ message: text[locale], text });
  const asked = input.type === 'command' ? `/${input.name}` : input.actionId;
  // Before anything else: another workspace's or app's request gets no help either.
  const foreign = checkOrigin(config, event);
  if (foreign !== undefined) return { ok: false, reason: 'foreign', ...refuse(localizeWith((t) => t('refusal.foreign', { reason: t(foreign) }))), subject: asked };
  let target: InboundTarget;
  let subject = asked;
  let permission: Permission | null;
  if (input.type === 'command') {
    const resolved = resolveCommand(commands, input.name, input.text);
    if (!resolved.ok) return { ok: false, reason: 'usage', ...refuse(resolved.text), subject };
    subject = [`/${resolved.command.name}`, resolved.subcommand.name].filter(Boolean).join(' ');
    target = { type: 'command', command: resolved.command, subcommand: resolved.subcommand, args: resolved.args };
    permission = resolved.subcommand.permission;
  } else {
    const handler = buttons.find((b) => b.actionId === input.actionId);
    const value = handler?.parse(input.value);
    if (!handler || value === undefined) {
      return { ok: false, reason: 'usage', ...refuse(localize('refusal.unknownButton')), subject };
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
      ...refuse(localize('refusal.denied', { subject, permission, identity: event.identity })),
    };
  }
  return { ok: true, target, subject, permission };
}

import { buildNoticeCard } from '../cards/build-notice-card.js';
import type { Card } from '../cards/card.js';
import type { Config, Permission } from '../src/config/config-schema.js';
import type { IncidentStore } from '../src/incidents/create-incident-store.js';
import type { IncidentOperationResult } from '../src/incidents/incident-operation.js';
import type { ResponseDeps } from '../src/response/response-deps.js';
import type { InboundEvent } from '../src/model/inbound-event.js';
import type { LocalizedText } from '../src/shared/messages/locale.js';

/** One argument a subcommand takes; the text typed must match `pattern` entirely. */
export interface CommandArgument {
  name: string;
  pattern: RegExp;
  /** What a valid value looks like, for the usage reply (e.g. "an incident key such as inc-3f9a1c2b7d4e"); a catalogue text (`localize`) or plain English. */
  hint: string | LocalizedText;
  /**
   * Only on the last argument (ignored elsewhere): it takes the rest of the text as typed — spaces
   * and line breaks kept, trimmed at both ends — instead of one word. `pattern` is checked against
   * that whole rest; it is at most `maxLength` characters and holds no control character but `\n`.
   */
  rest?: boolean;
  /** Longest accepted value of a `rest` argument; default {@link REST_ARGUMENT_MAX_LENGTH}. */
  maxLength?: number;
  /** Only on a `rest` argument: it may be left out (usage shows `[name…]`), and is then absent from the args. */
  optional?: boolean;
}

/** The default longest value of a `rest` argument (e.g. the text of `/incident note`). */
export const REST_ARGUMENT_MAX_LENGTH = 1000;

/** The argument that takes the rest of the text, when the subcommand has one (its last). */
export function restArgumentOf(subcommand: Pick<Subcommand, 'args'>): CommandArgument | undefined {
  const last = subcommand.args[subcommand.args.length - 1];
  return last?.rest === true ? last : undefined;
}

/** How a command answers: privately (only the person who asked sees it) or in the channel. */
export interface CommandReplies {
  private(card: Card): Promise<void>;
  public(card: Card): Promise<void>;
}

/** What a command handler gets. */
export interface CommandContext {
  event: InboundEvent;
  /** The validated arguments, by name. */
  args: Record<string, string>;
  reply: CommandReplies;
  config: Config;
  store: IncidentStore;
  /** For operations that change incidents (acknowledge, resolve …). */
  operations: ResponseDeps;
  /** Every command, for help. */
  commands: readonly ChatCommand[];
  /** True when the person may use `permission` (help shows only what they may run). */
  may(permission: Permission): boolean;
}

/** One form of a command, e.g. `/incident ack <key>`. */
export interface Subcommand {
  /** The word after the command (`ack`); `''` for the command on its own. */
  name: string;
  /** What it does, for help and usage replies; a catalogue text (`localize`) or plain English. */
  summary: string | LocalizedText;
  args: readonly CommandArgument[];
  /** Needed to run it; `null` for commands everyone may run (help). */
  permission: Permission | null;
  run(context: CommandContext): Promise<void>;
}

/** A chat command (`/incident`, `/warden`): what `commands/index.ts` lists. */
export interface ChatCommand {
  /** Without the slash, lowercase. */
  name: string;
  summary: string | LocalizedText;
  subcommands: readonly Subcommand[];
}

/** A subcommand's arguments as usage shows them: `<key>`, and `<text…>` for one that takes the rest. */
export function formatArgs(subcommand: Subcommand): string[] {
  const rest = restArgumentOf(subcommand);
  return subcommand.args.map((a) => (a !== rest ? `<${a.name}>` : a.optional === true ? `[${a.name}…]` : `<${a.name}…>`));
}

/** `/incident ack <key>` — the usage line of a subcommand. */
export function formatUsage(command: ChatCommand, subcommand: Subcommand): string {
  return ['/' + command.name, subcommand.name, ...formatArgs(subcommand)].filter((part) => part.length > 0).join(' ');
}

/** Tells the person privately what an operation did: green when it changed something, amber when refused. */
export async function replyWithOutcome(context: CommandContext, result: IncidentOperationResult): Promise<void> {
  const accent = result.outcome === 'changed' ? 'success' : result.outcome === 'refused' ? 'warning' : 'neutral';
  await context.reply.private(buildNoticeCard(result.localized ?? result.message, { accent }));
}

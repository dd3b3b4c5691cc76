import { localizeWith, pickText } from '../shared/messages/localize.js';
import type { Locale, LocalizedText } from '../shared/messages/locale.js';
import type { Translator } from '../shared/messages/translator.js';
import { formatArgs, formatUsage, REST_ARGUMENT_MAX_LENGTH, restArgumentOf, type ChatCommand, type CommandArgument, type Subcommand } from '../../commands/command.js';

/** A command matched to its subcommand with validated arguments, or a usage reply. */
export type ResolvedCommand =
  | { ok: true; command: ChatCommand; subcommand: Subcommand; args: Record<string, string> }
  /** `message` is English; `text` is the same reply in every language. */
  | { ok: false; message: string; text: LocalizedText };

/** The longest text of a command whose arguments are all single words. */
const MAX_TEXT_LENGTH = 500;

// In a rest argument: C0 controls but `\n` (tabs too), DEL, C1, Unicode line/paragraph separators and
// bidi controls ("Trojan Source"). `\r\n` and a lone `\r` are line breaks and become `\n` first.
const REST_CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Echoes typed words safely: only plain characters, and short. */
function quote(word: string): string {
  const plain = word.replace(/[^A-Za-z0-9._:/-]/g, '');
  return `"${plain.length > 40 ? `${plain.slice(0, 40)}…` : plain}"`;
}

function usageOf(command: ChatCommand, locale: Locale): string {
  return command.subcommands.map((s) => `${formatUsage(command, s)} — ${pickText(s.summary, locale)}`).join('\n');
}

function refuse(compose: (t: Translator, locale: Locale) => string): { ok: false; message: string; text: LocalizedText } {
  const text = localizeWith(compose);
  return { ok: false, message: text.en, text };
}

function maxLengthOf(argument: CommandArgument): number {
  return argument.maxLength ?? REST_ARGUMENT_MAX_LENGTH;
}

/** The longest text any subcommand of `command` accepts (single words plus the longest rest argument). */
function maxTextLengthOf(command: ChatCommand): number {
  let rest = 0;
  for (const subcommand of command.subcommands) {
    const argument = restArgumentOf(subcommand);
    if (argument) rest = Math.max(rest, maxLengthOf(argument));
  }
  return MAX_TEXT_LENGTH + rest;
}

interface Word {
  value: string;
  end: number;
}

/**
 * Finds the subcommand of `/name text` and checks its arguments (count and pattern). Anything
 * wrong gives a usage reply that says what was expected; nothing here runs a command. A last
 * argument marked `rest` takes the rest of the text as typed (line breaks kept, at most its
 * `maxLength`, no other control characters); every other argument is one word.
 */
export function resolveCommand(commands: readonly ChatCommand[], name: string, text: string): ResolvedCommand {
  const command = commands.find((c) => c.name === name.toLowerCase());
  if (!command) {
    return refuse((t) => t('refusal.unknownCommand', { command: quote(`/${name}`), commands: commands.map((c) => `/${c.name}`).join(', ') }));
  }
  const tooLong = () => refuse((t) => t('refusal.tooLong', { command: command.name, max: MAX_TEXT_LENGTH }));
  if (text.length > maxTextLengthOf(command)) return tooLong();
  const words: Word[] = [...text.matchAll(/\S+/g)].map((match) => ({ value: match[0], end: match.index + match[0].length }));
  const first = (words[0]?.value ?? '').toLowerCase();
  const subcommand = command.subcommands.find((s) => s.name === first) ?? command.subcommands.find((s) => s.name === '');
  if (!subcommand) {
    return refuse((t, locale) => {
      const what = first ? t('refusal.noSubcommand', { command: command.name, word: quote(first) }) : t('refusal.needsSubcommand', { command: command.name });
      return t('refusal.usageList', { what, usage: usageOf(command, locale) });
    });
  }
  const rest = restArgumentOf(subcommand);
  if (!rest && text.length > MAX_TEXT_LENGTH) return tooLong();
  const given = subcommand.name === '' ? words : words.slice(1);
  const usageLine = formatUsage(command, subcommand);
  const usage = (t: Translator): string => t('refusal.usage', { usage: usageLine });
  const wordCount = rest ? subcommand.args.length - 1 : subcommand.args.length;
  const restGiven = rest !== undefined && given.length > wordCount;
  if (rest ? given.length < (rest.optional === true ? wordCount : subcommand.args.length) : given.length !== wordCount) {
    return refuse((t) => {
      const expected = subcommand.args.length === 0 ? t('refusal.noArguments') : formatArgs(subcommand).join(' ');
      return `${usage(t)}\n${t('refusal.takes', { command: usageLine.split(' ').slice(0, 2).join(' '), expected })}`;
    });
  }
  const args: Record<string, string> = {};
  for (const [i, spec] of subcommand.args.slice(0, wordCount).entries()) {
    const value = given[i]!.value;
    if (!spec.pattern.test(value)) return refuse((t, locale) => `${usage(t)}\n${t('refusal.notValid', { value: quote(value), hint: pickText(spec.hint, locale) })}`);
    args[spec.name] = value;
  }
  if (rest && restGiven) {
    // The rest starts after the last one-word argument (or the subcommand's own name).
    const start = wordCount > 0 ? given[wordCount - 1]!.end : subcommand.name === '' ? 0 : words[0]!.end;
    const value = text.slice(start).replace(/\r\n?/g, '\n').trim();
    const max = maxLengthOf(rest);
    if (value.length > max) return refuse((t) => `${usage(t)}\n${t('refusal.restTooLong', { name: rest.name, max, length: value.length })}`);
    if (REST_CONTROLS.test(value)) return refuse((t) => `${usage(t)}\n${t('refusal.restControls', { name: rest.name })}`);
    if (!rest.pattern.test(value)) return refuse((t, locale) => `${usage(t)}\n${t('refusal.restInvalid', { name: rest.name, hint: pickText(rest.hint, locale) })}`);
    args[rest.name] = value;
  }
  return { ok: true, command, subcommand, args };
}

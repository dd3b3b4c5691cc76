import { formatArgs, formatUsage, REST_ARGUMENT_MAX_LENGTH, restArgumentOf, type ChatCommand, type CommandArgument, type Subcommand } from '../../commands/command.js';

/** A command matched to its subcommand with validated arguments, or a usage reply. */
export type ResolvedCommand =
  | { ok: true; command: ChatCommand; subcommand: Subcommand; args: Record<string, string> }
  | { ok: false; message: string };

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

function usageOf(command: ChatCommand): string {
  return command.subcommands.map((s) => `${formatUsage(command, s)} — ${s.summary}`).join('\n');
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
    return { ok: false, message: `Warden has no command ${quote(`/${name}`)}. Commands: ${commands.map((c) => `/${c.name}`).join(', ')}; /warden help explains them.` };
  }
  const tooLong = `That is too long for /${command.name} (at most ${MAX_TEXT_LENGTH} characters).`;
  if (text.length > maxTextLengthOf(command)) return { ok: false, message: tooLong };
  const words: Word[] = [...text.matchAll(/\S+/g)].map((match) => ({ value: match[0], end: match.index + match[0].length }));
  const first = (words[0]?.value ?? '').toLowerCase();
  const subcommand = command.subcommands.find((s) => s.name === first) ?? command.subcommands.find((s) => s.name === '');
  if (!subcommand) {
    const what = first ? `/${command.name} has no ${quote(first)}.` : `/${command.name} needs a subcommand.`;
    return { ok: false, message: `${what} Usage:\n${usageOf(command)}` };
  }
  const rest = restArgumentOf(subcommand);
  if (!rest && text.length > MAX_TEXT_LENGTH) return { ok: false, message: tooLong };
  const given = subcommand.name === '' ? words : words.slice(1);
  const usageLine = formatUsage(command, subcommand);
  const usage = `Usage: ${usageLine}`;
  const wordCount = rest ? subcommand.args.length - 1 : subcommand.args.length;
  const restGiven = rest !== undefined && given.length > wordCount;
  if (rest ? given.length < (rest.optional === true ? wordCount : subcommand.args.length) : given.length !== wordCount) {
    const expected = subcommand.args.length === 0 ? 'no arguments' : formatArgs(subcommand).join(' ');
    return { ok: false, message: `${usage}\n(${usageLine.split(' ').slice(0, 2).join(' ')} takes ${expected}.)` };
  }
  const args: Record<string, string> = {};
  for (const [i, spec] of subcommand.args.slice(0, wordCount).entries()) {
    const value = given[i]!.value;
    if (!spec.pattern.test(value)) return { ok: false, message: `${usage}\n${quote(value)} is not ${spec.hint}.` };
    args[spec.name] = value;
  }
  if (rest && restGiven) {
    // The rest starts after the last one-word argument (or the subcommand's own name).
    const start = wordCount > 0 ? given[wordCount - 1]!.end : subcommand.name === '' ? 0 : words[0]!.end;
    const value = text.slice(start).replace(/\r\n?/g, '\n').trim();
    const max = maxLengthOf(rest);
    if (value.length > max) return { ok: false, message: `${usage}\nThe <${rest.name}> is too long (at most ${max} characters; it has ${value.length}).` };
    if (REST_CONTROLS.test(value)) return { ok: false, message: `${usage}\nThe <${rest.name}> may not contain control characters or tabs; line breaks are fine.` };
    if (!rest.pattern.test(value)) return { ok: false, message: `${usage}\nThe <${rest.name}> is not ${rest.hint}.` };
    args[rest.name] = value;
  }
  return { ok: true, command, subcommand, args };
}

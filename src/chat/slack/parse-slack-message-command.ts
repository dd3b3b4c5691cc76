/** A command found in a chat message, in the shape of a slash command's form fields. */
export interface SlackMessageCommand {
  /** The command with its slash, as typed: `/incident`. */
  command: string;
  /** Everything after the command, trimmed. */
  text: string;
}

// Slack writes a mention as `<@U123>` or, in older payloads, `<@U123|name>`.
// https://docs.slack.dev/messaging/formatting-message-text
const LEADING_MENTION = /^\s*<@[UW][A-Z0-9]{2,32}(?:\|[^>]{0,80})?>/;
const COMMAND = /^(\/\S+)(?:\s+([\s\S]*))?$/;

/**
 * Reads a command typed in a message to the bot: `<@U0BOT> /incident list` (an `app_mention`) or
 * `/incident list` (a direct message). One leading mention is removed; what is left must start
 * with `/`, or it is an ordinary message and the answer is null. Pure; never throws.
 */
export function parseSlackMessageCommand(text: string): SlackMessageCommand | null {
  const rest = text.replace(LEADING_MENTION, '').trim();
  const match = COMMAND.exec(rest);
  if (match?.[1] === undefined) return null;
  return { command: match[1], text: (match[2] ?? '').trim() };
}

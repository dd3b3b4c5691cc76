import { createHash } from 'node:crypto';
import type { InboundEvent } from '../src/model/inbound-event.js';
import { parseDuration } from '../src/shared/parse-duration.js';
import { requestSilence } from '../src/silences/request-silence.js';
import { requestUnsilence } from '../src/silences/request-unsilence.js';
import { replyWithOutcome, type CommandArgument, type Subcommand } from './command.js';
import { localize, localizeWith } from '../src/shared/messages/localize.js';
import { incidentKeyArgument } from './incident-key-argument.js';

const durationArgument: CommandArgument = { name: 'duration', pattern: /^(?:\d{1,5}[mhdw])+$/i, hint: localize('command.incident.hint.duration') };
const reasonArgument: CommandArgument = { name: 'reason', pattern: /\S/, hint: localize('command.incident.hint.reason'), rest: true, optional: true, maxLength: 300 };

// As for card clicks: 24 hex digits of the delivery id, the same on every redelivery (approval requests take this form).
function toRequestId(event: Pick<InboundEvent, 'id'>): string {
  return createHash('sha256').update(event.id).digest('hex').slice(0, 24);
}

/**
 * `/incident silence <key> <duration> [reason…]` and `/incident unsilence <key>`: the card's
 * Silence and Unsilence buttons, from chat, with a duration of one's choice (past
 * `alertmanager.silence.maxWithoutApproval` it needs a second person's approval).
 */
export const silenceSubcommands: readonly Subcommand[] = [
  {
    name: 'silence',
    summary: localize('command.incident.silence.summary'),
    args: [incidentKeyArgument, durationArgument, reasonArgument],
    permission: 'incident.respond',
    async run(context) {
      const { key, duration, reason } = context.args;
      const durationMs = parseDuration(duration!);
      if (durationMs === undefined) {
        const localized = localizeWith((t) => t('command.incident.silence.badDuration', { duration: `"${duration}"`, hint: t('command.incident.hint.duration') }));
        await replyWithOutcome(context, { outcome: 'refused', message: localized.en, localized });
        return;
      }
      const ask = { durationMs, ...(reason === undefined ? {} : { reason }) };
      await replyWithOutcome(context, await requestSilence(context.operations, key!, context.event.identity, toRequestId(context.event), ask));
    },
  },
  {
    name: 'unsilence',
    summary: localize('command.incident.unsilence.summary'),
    args: [incidentKeyArgument],
    permission: 'incident.respond',
    async run(context) {
      await replyWithOutcome(context, await requestUnsilence(context.operations, context.args.key!, context.event.identity, toRequestId(context.event)));
    },
  },
];

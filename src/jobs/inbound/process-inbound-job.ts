import { UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Card } from '../../../cards/card.js';
import { buildNoticeCard } from '../../../cards/build-notice-card.js';
import type { ChatCommand } from '../../../commands/command.js';
import { checkPermission } from '../../access/check-permission.js';
import type { AuditLog } from '../../audit/audit-log.js';
import type { ChatAdapters } from '../../ports/chat-adapter.js';
import type { Config } from '../../config/config-schema.js';
import { isWardenError } from '../../errors/warden-error.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { ResponseDeps } from '../../response/response-deps.js';
import { authorizeInboundEvent } from '../../inbound/authorize-inbound-event.js';
import type { ButtonHandler } from '../../inbound/button-handler.js';
import type { InboundJobData } from '../create-queues.js';

/** What an `inbound` job needs. */
export interface InboundDeps {
  config: Config;
  commands: readonly ChatCommand[];
  buttons: readonly ButtonHandler[];
  store: IncidentStore;
  operations: ResponseDeps;
  adapters: Pick<ChatAdapters, 'slack' | 'lark'> & Partial<Pick<ChatAdapters, 'console'>>;
  audit: AuditLog;
  logger: Logger;
}

/**
 * Runs a command or button click accepted at the edge. Authorization is checked again (the
 * configuration may have changed since the click); a refusal is audited and answered privately.
 * Handlers are idempotent (a retried acknowledgement finds it done), so a retry after a failed
 * reply does no harm. A chat refusal (bad channel, revoked token) is permanent; anything else retries.
 */
export async function processInboundJob(job: Job<InboundJobData>, deps: InboundDeps): Promise<string> {
  const event = job.data;
  const adapter = event.platform === 'console' ? deps.adapters.console : event.platform === 'slack' ? deps.adapters.slack : deps.adapters.lark;
  if (!adapter) throw new UnrecoverableError(`${event.platform} is not configured in this Warden process; the event cannot be answered`);
  const replyPrivately = (card: Card) => adapter.postPrivate(event.identity, event.destination, card);

  try {
    const authorization = authorizeInboundEvent(deps.config, deps.commands, deps.buttons, event);
    if (!authorization.ok) {
      if (authorization.reason !== 'usage') {
        await deps.audit.append({
          type: `access.${authorization.reason}`,
          actor: event.identity,
          subject: authorization.subject,
          outcome: 'refused',
          detail: { platform: event.platform, event: event.id, stage: 'worker', permission: authorization.permission ?? null },
        });
      }
      await replyPrivately(buildNoticeCard(authorization.text, { accent: 'warning' }));
      return `refused (${authorization.reason}): ${authorization.subject}`;
    }

    const { target } = authorization;
    if (target.type === 'command') {
      await target.subcommand.run({
        event,
        args: target.args,
        config: deps.config,
        store: deps.store,
        operations: deps.operations,
        commands: deps.commands,
        may: (permission) => checkPermission(deps.config.access, event.identity, permission),
        reply: {
          private: replyPrivately,
          public: async (card) => {
            if (event.destination === undefined) return replyPrivately(card);
            await adapter.postCard(event.destination, card);
          },
        },
      });
      return `ran ${authorization.subject}`;
    }

    const result = await target.handler.run(deps.operations, event, target.value);
    if (result.outcome === 'unchanged' && result.publicCard !== undefined && event.destination !== undefined) {
      await adapter.postCard(event.destination, result.publicCard);
      return `${authorization.subject}: posted`;
    }
    // A change shows on the card itself; anything else is explained to the one who clicked.
    if (result.outcome !== 'changed') await replyPrivately(buildNoticeCard(result.localized ?? result.message, { accent: result.outcome === 'refused' ? 'warning' : 'neutral' }));
    return `${authorization.subject}: ${result.outcome}`;
  } catch (error) {
    if (isWardenError(error, 'chat_rejected')) throw new UnrecoverableError(error.message);
    throw error;
  }
}

import type { Config } from '../config/config-schema.js';
import type { InboundEvent } from '../model/inbound-event.js';

/** Catalogue keys of the reasons {@link checkOrigin} gives. */
export type OriginRefusal =
  | 'refusal.origin.slackDisabled'
  | 'refusal.origin.otherSlackApp'
  | 'refusal.origin.otherSlackWorkspace'
  | 'refusal.origin.larkDisabled'
  | 'refusal.origin.otherLarkApp'
  | 'refusal.origin.otherLarkTenant';

/**
 * Why an event comes from somewhere Warden does not serve, or undefined when it is fine: another
 * Slack app or workspace (`slack.appId`, `slack.teamId`), another Lark app (`lark.appId`) or tenant
 * (`lark.tenantKey`). Identities are only meaningful inside their own workspace or tenant. The
 * reason is a message catalogue key.
 */
export function checkOrigin(config: Pick<Config, 'slack' | 'lark'>, event: Pick<InboundEvent, 'platform' | 'tenant' | 'appId'>): OriginRefusal | undefined {
  // Typed at the terminal Warden runs in: there is no other workspace, and only the console's own
  // identities (`console:…`) can hold permissions for it.
  if (event.platform === 'console') return undefined;
  if (event.platform === 'slack') {
    if (!config.slack) return 'refusal.origin.slackDisabled';
    if (config.slack.appId !== undefined && event.appId !== config.slack.appId) return 'refusal.origin.otherSlackApp';
    if (config.slack.teamId !== undefined && event.tenant !== config.slack.teamId) return 'refusal.origin.otherSlackWorkspace';
    return undefined;
  }
  if (!config.lark) return 'refusal.origin.larkDisabled';
  if (event.appId !== config.lark.appId) return 'refusal.origin.otherLarkApp';
  if (config.lark.tenantKey !== undefined && event.tenant !== config.lark.tenantKey) return 'refusal.origin.otherLarkTenant';
  return undefined;
}

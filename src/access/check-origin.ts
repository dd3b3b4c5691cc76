import type { Config } from '../config/config-schema.js';
import type { InboundEvent } from '../model/inbound-event.js';

/**
 * Why an event comes from somewhere Warden does not serve, or undefined when it is fine: another
 * Slack app or workspace (`slack.appId`, `slack.teamId`), another Lark app (`lark.appId`) or tenant
 * (`lark.tenantKey`). Identities are only meaningful inside their own workspace or tenant.
 */
export function checkOrigin(config: Pick<Config, 'slack' | 'lark'>, event: Pick<InboundEvent, 'platform' | 'tenant' | 'appId'>): string | undefined {
  if (event.platform === 'slack') {
    if (!config.slack) return 'Slack is not enabled in this Warden';
    if (config.slack.appId !== undefined && event.appId !== config.slack.appId) return 'this request is for another Slack app';
    if (config.slack.teamId !== undefined && event.tenant !== config.slack.teamId) return 'this Warden serves another Slack workspace';
    return undefined;
  }
  if (!config.lark) return 'Lark is not enabled in this Warden';
  if (event.appId !== config.lark.appId) return 'this request is for another Lark app';
  if (config.lark.tenantKey !== undefined && event.tenant !== config.lark.tenantKey) return 'this Warden serves another Lark tenant';
  return undefined;
}

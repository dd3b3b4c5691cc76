import type { Config } from '../config/config-schema.js';
import { IDENTITY_PATTERNS } from '../config/identity-schema.js';

/** What `/incident lead` accepts for a person, as the argument's pattern. */
export const PERSON_MENTION_PATTERN = new RegExp(`^(<@[UW][A-Z0-9]{2,32}(\\|[^>]{0,80})?>|${IDENTITY_PATTERNS.chat}|${IDENTITY_PATTERNS.terminal}|@?${IDENTITY_PATTERNS.name})$`);

const SLACK_MENTION = /^<@([UW][A-Z0-9]{2,32})(?:\|[^>]{0,80})?>$/;
const IDENTITY = new RegExp(`^(${IDENTITY_PATTERNS.chat}|${IDENTITY_PATTERNS.terminal})$`);

/**
 * The identity a person was named by: a Slack mention (`<@U0ALICE>`, `<@U0ALICE|alice>`), an
 * identity (`slack:U…`, `lark:ou_…`, which is also what a Lark mention becomes) or a person of
 * `access.people` (`alice`, `@alice`), as their identity on `platform` (else their first). Undefined
 * when it names nobody Warden can reach.
 */
export function resolvePersonMention(access: Pick<Config['access'], 'people'>, text: string, platform: 'slack' | 'lark' | 'console'): string | undefined {
  const slack = SLACK_MENTION.exec(text);
  if (slack) return `slack:${slack[1]}`;
  if (IDENTITY.test(text)) return text;
  const identities = access.people[text.replace(/^@/, '')];
  if (identities === undefined || !Object.hasOwn(access.people, text.replace(/^@/, ''))) return undefined;
  return identities.find((identity) => identity.startsWith(`${platform}:`)) ?? identities.find((identity) => IDENTITY.test(identity));
}

import type { Incident } from '../model/incident.js';

/**
 * Longest room name Warden makes: Slack allows 80 characters (lowercase letters, digits, "-" and
 * "_": https://docs.slack.dev/reference/methods/conversations.create), Lark group names are shorter
 * still in its clients; 60 fits both with room for a suffix.
 */
const MAX_NAME_LENGTH = 60;

/**
 * The room's name: `inc-` and the first six hex digits of the incident key (with the key's
 * generation, `-2`, for a group's later incidents), then a slug of the title:
 * `inc-3f9a1c-suspicious-process`. `suffix` makes the second choice when the first is taken.
 */
export function buildWarRoomName(incident: Pick<Incident, 'key' | 'title'>, suffix?: number): string {
  const match = /^inc-([0-9a-f]{1,6})[0-9a-f]*(-\d+)?$/.exec(incident.key);
  const id = match ? `inc-${match[1]}${match[2] ?? ''}` : incident.key.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 16);
  const slug = incident.title
    // Split camel case first: "SuspiciousProcess" reads as "suspicious-process".
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const end = suffix === undefined ? '' : `-${suffix}`;
  const base = slug.length > 0 ? `${id}-${slug}` : id;
  return `${base.slice(0, MAX_NAME_LENGTH - end.length).replace(/-+$/, '')}${end}`;
}

import { formatLabelFilter } from '../src/shared/format-label-filter.js';
import { toSafeUrl } from './safe-url.js';

/**
 * A link into Alertmanager's web UI at `externalURL` with the labels as a filter of exact matchers:
 * `silences/new` opens the new-silence form pre-filled, `alerts` lists the group's alerts.
 * `<externalURL>/#/silences/new?filter=%7Balertname%3D%22X%22%7D`. Undefined without a safe http(s) URL.
 */
export function buildAlertmanagerUrl(externalURL: string | undefined, view: 'silences/new' | 'alerts', labels: Readonly<Record<string, string>>): string | undefined {
  const base = toSafeUrl(externalURL);
  if (base === undefined || Object.keys(labels).length === 0) return undefined;
  return toSafeUrl(`${base.replace(/\/+$/, '')}/#/${view}?filter=${encodeURIComponent(formatLabelFilter(labels))}`);
}

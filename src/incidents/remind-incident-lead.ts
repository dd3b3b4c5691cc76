import type { IncidentOperationDeps } from './incident-operation.js';
import { localize, localizeWith } from '../shared/messages/localize.js';
import { localizeNotice } from '../shared/messages/localize-notice.js';

/**
 * The delayed reminder of `/incident lead` and `/incident update`: when incident `key` is still
 * open, has a lead, and neither a new lead nor an update came after `since`, the lead gets a
 * private nudge to post one (`/incident update`), audited as `incident.update-reminder`. The notice
 * id makes it once per quiet stretch, however often the job runs.
 */
export async function remindIncidentLead(deps: Pick<IncidentOperationDeps, 'store' | 'work' | 'audit'>, key: string, since: number): Promise<string> {
  const incident = await deps.store.get(key);
  if (!incident || incident.phase === 'closed') return 'no reminder: the incident is closed or gone';
  if (incident.lead === undefined) return 'no reminder: the incident has no lead';
  if (Math.max(incident.leadSetAt ?? 0, incident.lastUpdateAt ?? 0) !== since) return 'no reminder: a new lead or an update came since';
  const sinceUpdate = incident.lastUpdateAt === since;
  await deps.work.postPrivateNotice(`lead-reminder.${key}.${since}`, [incident.lead], {
    ...localizeNotice(
      localize('notice.leadReminder.title', { title: incident.title, key }),
      localizeWith((t) =>
        t('notice.leadReminder.text', { key, phase: t(`card.phase.${incident.phase}`), quiet: t(sinceUpdate ? 'notice.leadReminder.sinceUpdate' : 'notice.leadReminder.sinceLead') }),
      ),
    ),
    accent: 'warning',
  });
  await deps.audit.append({ type: 'incident.update-reminder', actor: 'warden', subject: key, outcome: 'ok', detail: { lead: incident.lead, since } });
  return `reminded ${incident.lead}`;
}

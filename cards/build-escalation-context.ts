import type { Incident } from '../src/model/incident.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import type { CardBlock } from './card.js';

/**
 * The incident card's escalation line while the incident is open: "Escalated to bob (on call for
 * primary) at 2026-03-30 03:12 UTC (step 2)", and why escalation stopped when it was told to.
 */
export function buildEscalationContext(incident: Incident): CardBlock[] {
  if (incident.phase === 'closed') return [];
  const blocks: CardBlock[] = [];
  const last = incident.escalation;
  if (last !== undefined) {
    const repeat = last.repeat > 0 ? `, repeat ${last.repeat}` : '';
    blocks.push({ type: 'context', text: `Escalated to ${last.to} at ${formatUtcTime(last.at)} (step ${last.step + 1}${repeat} of policy ${last.policy}).` });
  }
  const stopped = incident.escalationStopped;
  if (stopped !== undefined) blocks.push({ type: 'context', text: `Escalation stopped at ${formatUtcTime(stopped.at)}: ${stopped.reason}.` });
  return blocks;
}

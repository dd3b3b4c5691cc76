import type { Incident } from '../src/model/incident.js';
import { formatUtcTime } from '../src/shared/format-utc-time.js';
import type { CardBlock } from './card.js';
import { translator, type Translator } from '../src/shared/messages/translator.js';
import { showText, translateParam } from '../src/shared/messages/text-ref.js';

/**
 * The incident card's escalation line while the incident is open: "Escalated to bob (on call for
 * primary) at 2026-03-30 03:12 UTC (step 2)", and why escalation stopped when it was told to.
 */
export function buildEscalationContext(incident: Incident, t: Translator = translator('en')): CardBlock[] {
  if (incident.phase === 'closed') return [];
  const blocks: CardBlock[] = [];
  const last = incident.escalation;
  if (last !== undefined) {
    // A step recorded before its targets' messages were kept shows its English text.
    const to = last.toParts === undefined ? last.to : last.toParts.map((part) => translateParam(t, part)).join(', ');
    const params = { to, at: formatUtcTime(last.at), step: last.step + 1, policy: last.policy };
    const text = last.repeat > 0 ? t('card.escalation.escalatedRepeat', { ...params, repeat: last.repeat }) : t('card.escalation.escalated', params);
    blocks.push({ type: 'context', text });
  }
  const stopped = incident.escalationStopped;
  if (stopped !== undefined) blocks.push({ type: 'context', text: t('card.escalation.stopped', { at: formatUtcTime(stopped.at), reason: showText(t, stopped.reason, stopped.reasonRef) }) });
  return blocks;
}

import { POSTMORTEM_BUTTON_ACTION_ID } from '../../cards/build-incident-card.js';
import { phaseNames } from '../config/action-schema.js';
import { acknowledgeIncident } from '../incidents/acknowledge-incident.js';
import { INCIDENT_KEY_PATTERN } from '../incidents/build-incident-key.js';
import { closeIncident } from '../incidents/close-incident.js';
import { draftPostmortem } from '../incidents/draft-postmortem.js';
import { moveIncidentPhase } from '../incidents/move-incident-phase.js';
import { listDiagnosisProbes } from '../probes/list-diagnosis-probes.js';
import { toRequestId } from './action-buttons.js';
import type { ButtonHandler } from './button-handler.js';
import { parseButtonValue } from './parse-button-value.js';
import { say } from '../shared/messages/say.js';

/** The incident key in a card button's value `{"k":"inc-…"}`. */
export function parseIncidentButtonValue(value: string): string | undefined {
  const key = parseButtonValue(value, 200)?.k;
  return typeof key === 'string' && INCIDENT_KEY_PATTERN.test(key) ? key : undefined;
}

/**
 * The incident card's buttons (DESIGN.md §5): Acknowledge, the four phases, Resolve. The phase
 * buttons move the incident's phase; the response workflow hangs its playbook steps and actions
 * on that phase. In Optimize, "Postmortem draft" posts the draft in the channel.
 */
export const incidentButtons: readonly ButtonHandler<string>[] = [
  {
    actionId: 'incident.acknowledge',
    permission: 'incident.respond',
    parse: parseIncidentButtonValue,
    run: (deps, event, key) => acknowledgeIncident(deps, key, event.identity),
  },
  ...phaseNames.map(
    (phase): ButtonHandler<string> => ({
      actionId: `incident.${phase}`,
      permission: 'incident.respond',
      parse: parseIncidentButtonValue,
      async run(deps, event, key) {
        const moved = await moveIncidentPhase(deps, key, phase, event.identity);
        // Analyze runs the probes again on demand, also when the incident is in that phase already.
        if (phase !== 'analyze' || moved.outcome === 'refused' || listDiagnosisProbes(deps.actions).length === 0) return moved;
        await deps.work.diagnose(key, toRequestId(event));
        return moved.outcome === 'unchanged' ? { ...moved, ...say('op.phase.analyzeAgain', { key }) } : moved;
      },
    }),
  ),
  {
    actionId: POSTMORTEM_BUTTON_ACTION_ID,
    permission: 'incident.view',
    parse: parseIncidentButtonValue,
    async run(deps, _event, key) {
      const card = await draftPostmortem(deps.store, key, deps.now());
      if (!card) return { outcome: 'refused', ...say('op.incident.unknown', { key }) };
      return { outcome: 'unchanged', ...say('op.postmortem.posted', { key }), publicCard: card };
    },
  },
  {
    actionId: 'incident.resolve',
    permission: 'incident.respond',
    parse: parseIncidentButtonValue,
    run: (deps, event, key) => closeIncident(deps, key, event.identity),
  },
];

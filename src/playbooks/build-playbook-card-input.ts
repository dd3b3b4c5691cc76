import type { IncidentCardInput, PlaybookActionView, PlaybookStepView } from '../../cards/build-incident-card.js';
import type { Config } from '../config/config-schema.js';
import type { Incident } from '../model/incident.js';
import type { Playbook } from './playbook-schema.js';
import type { PlaybookStepRecord } from './playbook-step-state.js';
import { selectPlaybook } from './select-playbook.js';

/**
 * What the incident card shows of the incident's playbook: its title and, in a response phase,
 * that phase's steps with their recorded state, plus the phase's actions — the configured actions
 * whose `phase` is the current phase and those the phase's steps run (steps' first, no repeats).
 * Nothing once the incident is closed.
 */
export function buildPlaybookCardInput(
  incident: Incident,
  playbooks: ReadonlyMap<string, Playbook>,
  actions: Config['actions'],
  states: ReadonlyMap<string, PlaybookStepRecord>,
): Pick<IncidentCardInput, 'playbook' | 'actions'> {
  const playbook = selectPlaybook(playbooks, incident.playbook);
  if (!playbook || incident.phase === 'closed') return {};
  if (incident.phase === 'triage') return { playbook: { title: playbook.title, steps: [] } };

  const phaseSteps = playbook.phases[incident.phase] ?? [];
  const steps = phaseSteps.map((step): PlaybookStepView => {
    const record = states.get(step.id);
    const view: PlaybookStepView = { id: step.id, title: step.title, state: record?.state ?? 'open' };
    if (step.guidance !== undefined) view.guidance = step.guidance;
    if (step.action !== undefined) view.action = actions[step.action]?.title ?? step.action;
    if (record) Object.assign(view, { by: record.by, at: record.at });
    return view;
  });

  const ids = [
    ...phaseSteps.flatMap((step) => (step.action === undefined ? [] : [step.action])),
    ...Object.entries(actions).flatMap(([id, action]) => (action.phase === incident.phase ? [id] : [])),
  ];
  const shown: PlaybookActionView[] = [];
  for (const id of new Set(ids)) {
    const action = actions[id];
    if (action) shown.push({ id, title: action.title, destructive: action.destructive });
  }
  return { playbook: { title: playbook.title, steps }, actions: shown };
}

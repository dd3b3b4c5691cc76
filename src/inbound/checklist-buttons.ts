import { CHECKLIST_DONE_ACTION_ID, CHECKLIST_RECHECK_ACTION_ID, CHECKLIST_SKIP_ACTION_ID } from '../../cards/build-checklist-card.js';
import { changeRunItem } from '../checklists/change-run-item.js';
import { RUN_ID_PATTERN } from '../checklists/build-run-id.js';
import { ITEM_ID_PATTERN } from '../checklists/checklist-schema.js';
import type { IncidentOperationResult } from '../incidents/incident-operation.js';
import type { ButtonHandler } from './button-handler.js';
import { toRequestId } from './action-buttons.js';
import { parseButtonValue } from './parse-button-value.js';
import { say } from '../shared/messages/say.js';

/** A checklist card button's value: the run, the item and, for the N/A menu, the reason's index. */
export interface ChecklistButtonValue {
  runId: string;
  itemId: string;
  reason?: number;
}

/** Reads `{"r":<run>,"i":<item>}` (and `"o"` when `withReason`); undefined for anything else. */
export function parseChecklistButtonValue(value: string, withReason = false): ChecklistButtonValue | undefined {
  const { r, i, o } = parseButtonValue(value, 200) ?? {};
  if (typeof r !== 'string' || !RUN_ID_PATTERN.test(r) || typeof i !== 'string' || !ITEM_ID_PATTERN.test(i)) return undefined;
  if (!withReason) return { runId: r, itemId: i };
  return typeof o === 'number' && Number.isInteger(o) && o >= 0 && o < 10 ? { runId: r, itemId: i, reason: o } : undefined;
}

const unavailable: IncidentOperationResult = { outcome: 'refused', ...say('op.checklist.unavailable') };

/**
 * The checklist card's controls (permission `checklist.tick`): Done for a manual item, Re-check for
 * an automated one (its check runs again), and the N/A menu (the reason is one of the run's).
 */
export const checklistButtons: readonly ButtonHandler<ChecklistButtonValue>[] = [
  {
    actionId: CHECKLIST_DONE_ACTION_ID,
    permission: 'checklist.tick',
    parse: (value) => parseChecklistButtonValue(value),
    async run(deps, event, { runId, itemId }) {
      if (!deps.checklists) return unavailable;
      return changeRunItem(deps.checklists, runId, itemId, event.identity, { type: 'done' });
    },
  },
  {
    actionId: CHECKLIST_SKIP_ACTION_ID,
    permission: 'checklist.tick',
    parse: (value) => parseChecklistButtonValue(value, true),
    async run(deps, event, { runId, itemId, reason }) {
      if (!deps.checklists) return unavailable;
      const view = await deps.checklists.runs.get(runId);
      const text = view?.run.skipReasons[reason ?? -1];
      if (!view || text === undefined) return { outcome: 'refused', ...say('op.checklist.noReason', { run: runId, item: itemId }) };
      return changeRunItem(deps.checklists, runId, itemId, event.identity, { type: 'skip', reason: text });
    },
  },
  {
    actionId: CHECKLIST_RECHECK_ACTION_ID,
    permission: 'checklist.tick',
    parse: (value) => parseChecklistButtonValue(value),
    async run(deps, event, { runId, itemId }) {
      if (!deps.checklists) return unavailable;
      const view = await deps.checklists.runs.get(runId);
      const item = view?.items.find((candidate) => candidate.id === itemId);
      if (!view || !item?.check) return { outcome: 'refused', ...say('op.checklist.noAutomatedItem', { run: runId, item: itemId }) };
      if (view.completedAt !== undefined) return { outcome: 'refused', ...say('op.checklist.completeStartNew', { run: runId, checklist: view.run.checklistId }) };
      await deps.checklists.work.checkChecklistItems(runId, { itemIds: [itemId], requestId: toRequestId(event) });
      return { outcome: 'unchanged', ...say('op.checklist.checkingAgain', { title: item.title }) };
    },
  },
];

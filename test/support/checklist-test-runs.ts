// Checklist runs for unit tests: built the way `startChecklistRun` builds them, without Redis.
import { buildRunId } from '../../src/checklists/build-run-id.js';
import type { ChecklistRun, RunItem, RunView } from '../../src/model/checklist-run.js';
import type { Checklist } from '../../src/checklists/checklist-schema.js';
import { buildRunItems } from '../../src/checklists/build-run-items.js';
import type { Config } from '../../src/config/config-schema.js';

/** The checklists shipped with Warden (`checklists/*.yaml`). */
export const SHIPPED_CHECKLISTS = new URL('../../checklists/', import.meta.url);

/** The reasons every shipped checklist offers on its N/A menu (the schema's default). */
export const TEST_REASONS = ['Not applicable here', 'Covered by another control', 'Accepted risk (ticket filed)', 'Not deployed yet'];

/** 2026-11-20 10:00 UTC, the start of the test runs. */
export const RUN_STARTED_AT = Date.parse('2026-11-20T10:00:00Z');

/** A run of `checklist` with every item open, as `startChecklistRun` stores it (a command run unless `run` says otherwise). */
export function buildTestRun(checklist: Checklist, options: { actions?: Config['actions']; run?: Partial<ChecklistRun> } = {}): RunView {
  const startedAt = options.run?.startedAt ?? RUN_STARTED_AT;
  const run: ChecklistRun = {
    id: buildRunId(checklist.id, { startedAt }),
    checklistId: checklist.id,
    title: checklist.title,
    trigger: 'command',
    requestedBy: 'slack:U0ALICE',
    startedAt,
    dueAt: startedAt + checklist.dueWithinHours * 3_600_000,
    destinations: ['slack:C0SECURITY'],
    itemIds: checklist.items.map((item) => item.id),
    skipReasons: [...checklist.skipReasons],
    ...options.run,
  };
  const items = buildRunItems(checklist, options.actions ?? {});
  return { run, items, version: 1 };
}

/** A run view of `items` (run id `weekly-test-1`, started {@link RUN_STARTED_AT}, due a day later). */
export function makeRunView(items: RunItem[], overrides: { run?: Partial<ChecklistRun>; view?: Partial<Omit<RunView, 'run' | 'items'>> } = {}): RunView {
  const run: ChecklistRun = {
    id: 'weekly-test-1',
    checklistId: 'weekly',
    title: 'Weekly security self-audit',
    trigger: 'command',
    requestedBy: 'slack:U0ALICE',
    startedAt: RUN_STARTED_AT,
    dueAt: RUN_STARTED_AT + 24 * 3_600_000,
    destinations: ['slack:C0SECURITY'],
    itemIds: items.map((item) => item.id),
    skipReasons: [...TEST_REASONS],
    ...overrides.run,
  };
  return { run, items, version: 1, ...overrides.view };
}

/** One run item: an open manual item unless `overrides` say otherwise. */
export function makeRunItem(id: string, overrides: Partial<RunItem> = {}): RunItem {
  return { id, title: `Item ${id}`, guidance: `How to check ${id}.`, state: 'open', ...overrides };
}

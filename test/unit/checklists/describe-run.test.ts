import { describe, expect, it } from 'vitest';
import { describeRun } from '../../../commands/audit.js';
import { buildRunId, RUN_ID_PATTERN } from '../../../src/checklists/build-run-id.js';
import { countItems, countUnresolved, type ItemState, type RunItem } from '../../../src/model/checklist-run.js';
import { makeRunItem, makeRunView, RUN_STARTED_AT } from '../../support/checklist-test-runs.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const at = RUN_STARTED_AT + 30 * MINUTE;

/** Items in the given states, named after their position. */
const itemsIn = (...states: ItemState[]): RunItem[] =>
  states.map((state, n) => makeRunItem(`item-${n}`, state === 'open' ? {} : { state, by: 'slack:U0BOB', at, ...(state === 'skipped' ? { reason: 'Accepted risk (ticket filed)' } : {}) }));

describe('describeRun', () => {
  it('an open run: how many items are left and when it is due', () => {
    const view = makeRunView(itemsIn('passed', 'open', 'skipped', 'open'));
    expect(describeRun(view, RUN_STARTED_AT + MINUTE)).toBe('weekly-test-1: open, 2 of 4 items left, due 2026-11-21 10:00 UTC');
  });

  it('counts failing checks as left, and says how many fail', () => {
    const view = makeRunView(itemsIn('passed', 'failed', 'open', 'failed', 'skipped'));
    expect(describeRun(view, RUN_STARTED_AT + MINUTE)).toBe('weekly-test-1: open, 3 of 5 items left (2 failing), due 2026-11-21 10:00 UTC');
  });

  it('an open run past its due time is OVERDUE; at the due time it is not yet', () => {
    const view = makeRunView(itemsIn('open', 'failed'));
    expect(describeRun(view, view.run.dueAt + 1)).toBe('weekly-test-1: open, 2 of 2 items left (1 failing), due 2026-11-21 10:00 UTC — OVERDUE');
    expect(describeRun(view, view.run.dueAt)).toBe('weekly-test-1: open, 2 of 2 items left (1 failing), due 2026-11-21 10:00 UTC');
  });

  it('a completed run: when, and the pass rate counting N/A items as not passed', () => {
    const view = makeRunView(itemsIn('passed', 'passed', 'skipped'), { view: { completedAt: at + MINUTE } });
    expect(describeRun(view, at + 2 * MINUTE)).toBe('weekly-test-1: completed 2026-11-20 10:31 UTC — 67 % passed (2 passed, 1 N/A)');
    // Long after its due time a completed run is not overdue.
    expect(describeRun(view, view.run.dueAt + 30 * DAY)).not.toContain('OVERDUE');
  });

  it('rounds the pass rate, and gives 100 % only when nothing was waived', () => {
    const rate = (...states: ItemState[]) => describeRun(makeRunView(itemsIn(...states), { view: { completedAt: at } }), at).match(/— (\d+) % passed/)?.[1];
    expect(rate('passed', 'passed', 'passed')).toBe('100');
    expect(rate('passed', 'passed', 'passed', 'passed', 'passed', 'passed', 'skipped')).toBe('86');
    expect(rate('passed', 'skipped', 'skipped')).toBe('33');
    expect(rate('skipped', 'skipped')).toBe('0');
    expect(rate()).toBe('0');
  });
});

describe('countUnresolved and countItems', () => {
  it('open and failed items need someone; passed and N/A ones do not', () => {
    expect(countUnresolved(itemsIn('open', 'failed', 'passed', 'skipped', 'open'))).toBe(3);
    expect(countUnresolved(itemsIn('passed', 'skipped'))).toBe(0);
    expect(countUnresolved(itemsIn('failed'))).toBe(1);
    expect(countUnresolved([])).toBe(0);
  });

  it('counts every state, zero for the absent ones', () => {
    expect(countItems(itemsIn('open', 'failed', 'passed', 'skipped', 'open', 'passed', 'passed'))).toEqual({ open: 2, passed: 3, failed: 1, skipped: 1 });
    expect(countItems([])).toEqual({ open: 0, passed: 0, failed: 0, skipped: 0 });
  });
});

describe('buildRunId', () => {
  it('is the same for every process that starts a slot, and safe in job ids and card values', () => {
    const slot = Date.parse('2026-03-02T02:00:00Z');
    expect(buildRunId('weekly', { slot })).toBe(`weekly-s${slot.toString(36)}`);
    expect(buildRunId('weekly', { slot })).toBe(buildRunId('weekly', { slot }));
    expect(buildRunId('x'.repeat(32), { slot })).toMatch(RUN_ID_PATTERN);
  });

  it('gives runs started by hand at the same millisecond different ids', () => {
    const ids = new Set(Array.from({ length: 50 }, () => buildRunId('predeploy', { startedAt: RUN_STARTED_AT })));
    expect(ids.size).toBeGreaterThan(45);
    for (const id of ids) {
      expect(id).toMatch(new RegExp(`^predeploy-${RUN_STARTED_AT.toString(36)}-[0-9a-f]{4}$`));
      expect(id).toMatch(RUN_ID_PATTERN);
    }
    expect(buildRunId('x'.repeat(32), { startedAt: RUN_STARTED_AT })).toMatch(RUN_ID_PATTERN);
  });
});

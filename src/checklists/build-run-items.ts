import type { Config } from '../config/config-schema.js';
import type { RunItem } from '../model/checklist-run.js';
import type { Checklist } from './checklist-schema.js';
import { resolveItemCheck } from './resolve-item-check.js';

/** A new run's items, all open: each says what checks it here, or why it is manual when its action is not configured. */
export function buildRunItems(checklist: Pick<Checklist, 'items'>, actions: Config['actions']): RunItem[] {
  return checklist.items.map((item): RunItem => {
    const plan = resolveItemCheck(item, actions);
    return {
      id: item.id,
      title: item.title,
      guidance: item.guidance,
      state: 'open',
      ...(plan.type === 'manual' ? (plan.note === undefined ? {} : { note: plan.note }) : { check: plan.label }),
    };
  });
}

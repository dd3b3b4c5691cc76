import { CronExpressionParser } from 'cron-parser';

/**
 * The first slot of a cron schedule strictly after `after` (epoch ms), in `timezone` — the same
 * parser BullMQ's job schedulers use, so Warden and BullMQ agree on every slot.
 */
export function findNextSlot(cron: string, timezone: string, after: number): number {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().getTime();
}

/**
 * The slots in `(from, to]`, oldest first, at most `limit` (the newest ones when there are more).
 * Slots are enumerated forwards, as BullMQ makes them, so the days clocks change agree with it
 * (stepping backwards may see a repeated hour twice or a skipped hour never); stepping back only
 * finds where to start, so a long window costs `limit` steps, not one per slot in it.
 */
export function listSlots(cron: string, timezone: string, from: number, to: number, limit: number): number[] {
  const back = CronExpressionParser.parse(cron, { currentDate: to + 1, tz: timezone });
  let start = from;
  for (let i = 0; i <= limit; i++) {
    const slot = back.prev().getTime();
    if (slot <= from) {
      start = from;
      break;
    }
    start = slot - 1;
  }
  const forward = CronExpressionParser.parse(cron, { currentDate: start, tz: timezone });
  const slots: number[] = [];
  for (;;) {
    const slot = forward.next().getTime();
    if (slot > to) break;
    if (slot > from) slots.push(slot);
  }
  return limit > 0 ? slots.slice(-limit) : [];
}

/** A problem with a cron expression, or undefined when it is valid: used by the config schema. */
export function checkCron(cron: string): string | undefined {
  // cron-parser fills in missing fields ("* * *" would run every minute): demand them all (or a macro such as @daily).
  const fields = cron.trim().split(/\s+/).filter((field) => field !== '').length;
  if (!cron.trim().startsWith('@') && fields !== 5 && fields !== 6) return `has ${fields} field${fields === 1 ? '' : 's'}, not 5 (minute hour day month weekday) or 6 (with seconds first)`;
  try {
    CronExpressionParser.parse(cron, { strict: false });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

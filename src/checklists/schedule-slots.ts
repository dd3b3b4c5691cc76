import { CronExpressionParser } from 'cron-parser';

/**
 * The first slot of a cron schedule strictly after `after` (epoch ms), in `timezone` — the same
 * parser BullMQ's job schedulers use, so Warden and BullMQ agree on every slot.
 */
export function findNextSlot(cron: string, timezone: string, after: number): number {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().getTime();
}

/** The slots in `(from, to]`, oldest first, at most `limit` (the newest ones when there are more). */
export function listSlots(cron: string, timezone: string, from: number, to: number, limit: number): number[] {
  const expression = CronExpressionParser.parse(cron, { currentDate: to + 1, tz: timezone });
  const slots: number[] = [];
  while (slots.length < limit) {
    const slot = expression.prev().getTime();
    if (slot <= from) break;
    slots.push(slot);
  }
  return slots.reverse();
}

/** A problem with a cron expression, or undefined when it is valid: used by the config schema. */
export function checkCron(cron: string): string | undefined {
  try {
    CronExpressionParser.parse(cron, { strict: false });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

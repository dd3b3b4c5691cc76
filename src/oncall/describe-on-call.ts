import type { Rotation } from '../config/oncall-schema.js';
import { formatZonedTime } from '../shared/format-zoned-time.js';
import { findOnCall } from './find-on-call.js';

/**
 * What `/oncall` says about one rotation at `at`: its turns, who is on call now and who is next,
 * with the handoff times in the rotation's zone and in UTC.
 */
export function describeOnCall(name: string, rotation: Rotation, at: number): string[] {
  const { now, next } = findOnCall(rotation, at);
  const time = (ms: number) => formatZonedTime(ms, rotation.timezone);
  const mark = (override: boolean) => (override ? ' (override)' : '');
  return [
    `${name} — ${rotation.length} turns, handoff ${rotation.handoff} ${rotation.timezone}`,
    `  now: ${now.person}${mark(now.override)} since ${time(now.since)}, until ${time(now.until)}`,
    `  next: ${next.person}${mark(next.override)} from ${time(next.since)}`,
  ];
}

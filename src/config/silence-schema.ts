import { z } from 'zod';
import { parseDuration } from '../shared/parse-duration.js';

/** A duration written as `30m`, `2h`, `1d`, `1w` or `1h30m`, read as milliseconds. */
export const durationSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'must be a duration such as "30m", "2h", "1d" or "1h30m" (minutes, hours, days, weeks; at most a year)' });
    return z.NEVER;
  }
  return ms;
});

/** `alertmanager.silence`: how the card's Silence button and `/incident silence` silence an incident's alerts. */
export const silenceSchema = z
  .strictObject({
    /** How long a silence lasts when nobody says (the Silence button); a route's `silenceDuration` overrides it. */
    defaultDuration: durationSchema.prefault('2h'),
    /** Longer silences need a second person with `action.approve`, like a destructive action. */
    maxWithoutApproval: durationSchema.prefault('4h'),
    /** Expire the incident's silence when its alerts resolve at the source or a responder closes it. */
    expireOnResolve: z.boolean().default(true),
  })
  .superRefine((silence, ctx) => {
    if (silence.defaultDuration > silence.maxWithoutApproval) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultDuration'],
        message: 'is longer than maxWithoutApproval, so every Silence click would wait for an approval; shorten it or raise maxWithoutApproval',
      });
    }
  });

/** `alertmanager.apiUrl`: Alertmanager's own address for its API, when the notification's `externalURL` is not reachable from Warden. */
export const alertmanagerApiUrlSchema = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://alertmanager.internal:9093 (without /api/v2)' });

/** The validated `alertmanager.silence` block (durations in ms). */
export type SilenceConfig = z.output<typeof silenceSchema>;

import { z } from 'zod';

/**
 * A lone UTF-16 surrogate: valid in JSON's `\\u` escapes and in a JavaScript string, but not Unicode.
 * Redis' Lua JSON decoder refuses it, and neither a chat platform nor a reader can show it.
 */
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATE_MESSAGE = 'contains a lone UTF-16 surrogate (an unpaired \\ud800–\\udfff escape), which is not valid Unicode; fix the value where the alert is made';

/** A string that is valid Unicode. */
const text = () => z.string().refine((value) => !LONE_SURROGATE.test(value), { message: LONE_SURROGATE_MESSAGE });

/**
 * A label or annotation set: an object of string values. Checked in one loop instead of
 * `z.record(z.string(), z.string())`, which validates every key and value as a schema of its own and
 * costs most of the webhook's validation time; a bad value still gets its own path in the message.
 */
const labelSet = z.custom<Record<string, string>>().check((ctx) => {
  const value = ctx.value as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.issues.push({ code: 'custom', message: 'expected an object of string values', input: value });
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') ctx.issues.push({ code: 'custom', message: 'expected a string', path: [key], input: item });
    else if (LONE_SURROGATE.test(item)) ctx.issues.push({ code: 'custom', message: LONE_SURROGATE_MESSAGE, path: [key], input: item });
    if (LONE_SURROGATE.test(key)) ctx.issues.push({ code: 'custom', message: `a label name ${LONE_SURROGATE_MESSAGE}`, input: key });
  }
});
const status = z.enum(['firing', 'resolved']);

/** One alert inside an Alertmanager webhook notification. Unknown keys are tolerated. */
export const webhookAlertSchema = z.looseObject({
  status,
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: text().min(1),
  endsAt: text().default(''),
  generatorURL: text().default(''),
  fingerprint: z.string().regex(/^[^\s|]{1,128}$/, { message: 'must be 1 to 128 characters without spaces or "|" (Alertmanager sends 16 hex digits)' }),
});

/**
 * Alertmanager webhook payload, version 4
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). Unknown keys such as
 * `notification_reason` (v0.32+) and `routeLabels` (v0.34+) are accepted and ignored.
 */
export const webhookNotificationSchema = z.looseObject({
  version: z.literal('4', { error: 'must be "4" (Alertmanager webhook payload version 4)' }),
  groupKey: text().min(1).max(8192),
  truncatedAlerts: z.number().int().min(0).default(0),
  status,
  receiver: text().default(''),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: text().default(''),
  alerts: z.array(webhookAlertSchema).min(1, { message: 'must contain at least one alert' }),
});

/** A validated Alertmanager notification. */
export type WebhookNotification = z.output<typeof webhookNotificationSchema>;
export type WebhookAlert = z.output<typeof webhookAlertSchema>;

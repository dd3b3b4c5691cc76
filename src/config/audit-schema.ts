import { z } from 'zod';
import { destinationSchema } from './destination-schema.js';
import { isHttpsOrLoopback } from './is-https-or-loopback.js';

/** Where checkpoints are POSTed: https, or http to a relay on this machine. */
const checkpointUrlSchema = z
  .url({ protocol: /^https?$/, message: 'must be an https:// URL, e.g. https://worm.example.com/warden/checkpoints' })
  .refine(isHttpsOrLoopback, {
    message: 'must be an https:// URL (http:// only to a loopback address such as http://127.0.0.1:8080/checkpoints)',
  });

export const auditCheckpointSchema = z.strictObject({
  /** A checkpoint is taken this often (and when a process running workers stops). */
  everyMinutes: z.number().int().min(1).max(1440).default(60),
  /** Chat destinations responders cannot edit, where each checkpoint is posted. */
  to: z.array(destinationSchema).default([]),
  /** An external store (e.g. WORM) each checkpoint is POSTed to as JSON. */
  url: checkpointUrlSchema.optional(),
  /** Headers of that POST; credentials (Authorization, …) must be `${ENV}` references. */
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, { message: 'must be an HTTP header name' }), z.string()).default({}),
});

export const auditSchema = z.strictObject({
  file: z.string().min(1).default('./data/audit.jsonl'),
  hmacKey: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  checkpoint: auditCheckpointSchema.prefault({}),
});

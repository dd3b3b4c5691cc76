import type { SilenceRequest } from '../../model/silence.js';
import { toJobIdPart } from '../create-queues.js';

/** Data of a `silences` job: one {@link SilenceRequest}. */
export type SilenceJobData = SilenceRequest;

/**
 * The `silences` job for a request. Its id comes from the request id (a click's delivery id, or the
 * silence an automatic expiry ends), so a redelivered click or a second resolve adds no second job.
 */
export function toSilenceJob(request: SilenceRequest): { name: string; data: SilenceJobData; opts: { jobId: string } } {
  return { name: request.op, data: request, opts: { jobId: `silence-${request.op}.${toJobIdPart(request.requestId)}` } };
}

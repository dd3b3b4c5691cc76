import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { runProbe } from '../../actions/run-probe.js';
import type { Config } from '../../config/config-schema.js';
import type { IncidentStore } from '../../incidents/create-incident-store.js';
import type { DiagnoseJobData, Queues } from '../create-queues.js';
import { enqueueCardUpdates } from '../enqueue-card-updates.js';

/** What a diagnose job needs. */
export interface DiagnoseDeps {
  store: IncidentStore;
  queues: Queues;
  actions: Config['actions'];
  logger: Logger;
  now: () => number;
}

/** The probes diagnosis runs: analyze-phase actions of the read-only kinds. */
export function listDiagnosisProbes(actions: Config['actions']): [string, Config['actions'][string]][] {
  return Object.entries(actions).filter(([, action]) => action.phase === 'analyze' && (action.kind === 'http-check' || action.kind === 'prometheus'));
}

/**
 * Runs the incident's analyze-phase probes concurrently, records their results on the incident
 * (latest per probe and target, plus the timeline) and queues card updates. A probe that fails is a
 * result, not a job failure; only losing Redis makes the job retry.
 */
export async function processDiagnoseJob(job: Job<DiagnoseJobData>, deps: DiagnoseDeps): Promise<string> {
  const view = await deps.store.view(job.data.key);
  if (!view) return 'incident gone';
  if (view.incident.phase === 'closed') return 'incident closed';
  const probes = listDiagnosisProbes(deps.actions);
  if (probes.length === 0) return 'no probes configured';

  const results = (await Promise.all(probes.map(([id, action]) => runProbe(id, action, view.incident, view.alerts)))).flat();
  const outcome = await deps.store.recordDiagnosis(job.data.key, results, deps.now());
  if (outcome.outcome === 'missing') return 'incident gone';
  await enqueueCardUpdates(deps.queues, outcome.incident.key, outcome.incident.version, outcome.incident.destinations);
  const failed = results.filter((r) => !r.ok).length;
  return `${results.length} probe results, ${failed} failing`;
}

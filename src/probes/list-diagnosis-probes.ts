import type { Config } from '../config/config-schema.js';
import { isProbeAction } from './run-probe.js';

/** The probes diagnosis runs: analyze-phase actions of the read-only kinds. */
export function listDiagnosisProbes(actions: Config['actions']): [string, Config['actions'][string]][] {
  return Object.entries(actions).filter(([, action]) => action.phase === 'analyze' && isProbeAction(action));
}

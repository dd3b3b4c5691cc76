/**
 * What a requested run will do, rendered when it was requested and stored with the request (the
 * approval request, the `remediate` job): the template `inputs` the run uses, and a `preview` of the
 * request or program with every secret masked, which the approval card shows. The job renders the
 * action again from these inputs and runs it only when its preview is still the same, so what runs
 * is what was shown, secret values aside. Holds no secret: it is stored in Redis and job data.
 */
export interface ActionRendering {
  /** Template input → value, for the inputs the action uses (and `incident.key`). */
  inputs: Record<string, string>;
  preview: ActionPreview;
}

/** A rendered run as people see it; secrets are masked. */
export type ActionPreview =
  /** Header values are masked except `content-type`, `accept` and `user-agent`. */
  | { kind: 'http'; method: string; url: string; headers: [string, string][]; body?: string }
  | { kind: 'exec'; program: string; args: string[] }
  | { kind: 'queue'; operation: 'pause' | 'resume'; queue: string; prefix: string; redis?: string }
  /** Probes only read; they run against the incident as it is when the job runs. */
  | { kind: 'probe'; probe: string };

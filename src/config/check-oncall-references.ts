import type { z } from 'zod';
import type { EscalationConfig } from './escalation-schema.js';
import type { OncallConfig } from './oncall-schema.js';

/** The parts of the configuration that rotations and escalation policies name. */
export interface OncallReferences {
  access: { people: Record<string, string[]>; groups: Record<string, string[]> };
  oncall: OncallConfig;
  escalation: EscalationConfig;
  routes: { escalation?: string | undefined }[];
}

/**
 * Reports every name rotations and escalation policies use that the configuration does not define:
 * rotation members and override persons (people or identities), step targets (rotations, groups,
 * people or identities), policy names (routes, `bySeverity`, `default`), and rotation names that
 * clash with a group or a person (`/incident page primary` must mean one thing).
 */
export function checkOncallReferences(config: OncallReferences, ctx: z.RefinementCtx): void {
  const { people, groups } = config.access;
  const rotations = config.oncall.rotations;
  const report = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const isPerson = (name: string) => name.includes(':') || name in people;
  for (const [name, rotation] of Object.entries(rotations)) {
    if (name in groups || name in people) report(['oncall', 'rotations', name], `is also the name of a ${name in groups ? 'group' : 'person'}; rename the rotation so pages and escalation steps are not ambiguous`);
    rotation.people.forEach((member, i) => {
      if (!isPerson(member)) report(['oncall', 'rotations', name, 'people', i], `names the person "${member}", whom access.people does not define; add them there or write an identity (slack:U…, lark:ou_…)`);
    });
    rotation.overrides.forEach((override, i) => {
      if (!isPerson(override.person)) report(['oncall', 'rotations', name, 'overrides', i, 'person'], `names the person "${override.person}", whom access.people does not define; add them there or write an identity`);
      if (!(Date.parse(normalize(override.to)) > Date.parse(normalize(override.from)))) report(['oncall', 'rotations', name, 'overrides', i, 'to'], 'must be later than from');
    });
  }
  const { policies } = config.escalation;
  for (const [name, policy] of Object.entries(policies)) {
    policy.steps.forEach((step, i) => {
      step.notify.forEach((target, j) => {
        if (!isPerson(target) && !(target in groups) && !(target in rotations)) {
          report(['escalation', 'policies', name, 'steps', i, 'notify', j], `names "${target}", which is no rotation (oncall.rotations), group (access.groups) or person (access.people); define it or write an identity`);
        }
      });
    });
  }
  const known = (policy: string) => policy in policies;
  const unknown = (policy: string) => `names the policy "${policy}", which escalation.policies does not define; add it there or remove it here`;
  for (const [severity, policy] of Object.entries(config.escalation.bySeverity)) if (!known(policy)) report(['escalation', 'bySeverity', severity], unknown(policy));
  if (config.escalation.default !== undefined && !known(config.escalation.default)) report(['escalation', 'default'], unknown(config.escalation.default));
  config.routes.forEach((route, i) => {
    if (route.escalation !== undefined && !known(route.escalation)) report(['routes', i, 'escalation'], unknown(route.escalation));
  });
}

// Only to compare the two ends: the zone is the same on both sides.
function normalize(value: string): string {
  return /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`;
}

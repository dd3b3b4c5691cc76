import { join } from 'node:path';
import { findPackageRoot } from './find-package-root.js';

/**
 * The people at the terminal when Warden runs on its embedded defaults (no config file): a
 * responder and a second person, the lead, who approves what the responder asks to run. Their
 * identities exist only in the terminal Warden runs in; they reach nothing on Slack or Lark.
 */
export const CONSOLE_PEOPLE = { responder: 'console:responder', lead: 'console:lead' } as const;

/** The id of the demonstration remediation of the embedded defaults. */
export const DEMO_ACTION_ID = 'demo-isolate-host';

/**
 * The `access` section of the embedded defaults: the console's two people hold every permission
 * (never approving their own request, as everywhere), and nobody else holds any.
 */
export function buildEmbeddedAccess(): Record<string, unknown> {
  const both = ['responder', 'lead'];
  return {
    people: { responder: [CONSOLE_PEOPLE.responder], lead: [CONSOLE_PEOPLE.lead] },
    groups: {},
    permissions: {
      'incident.view': both,
      'incident.respond': both,
      'action.run': both,
      'action.approve': both,
      'checklist.run': both,
      'checklist.tick': both,
    },
  };
}

/**
 * The `actions` of the embedded defaults: one destructive remediation, so that the whole response
 * flow (request, a second person's approval, the result on the card) can be tried in the terminal.
 * It runs `bin/demo-remediation.js` with Node, which prints what a real isolation would do and
 * changes nothing.
 */
export function buildEmbeddedActions(): Record<string, unknown> {
  return {
    [DEMO_ACTION_ID]: {
      kind: 'exec',
      phase: 'isolate',
      title: 'Isolate the hosts (demo: changes nothing)',
      destructive: true,
      timeoutSeconds: 10,
      argv: [process.execPath, join(findPackageRoot(), 'bin', 'demo-remediation.js'), '{{ incident.key }}'],
    },
  };
}

import type { ActionPreview } from '../model/action-rendering.js';

/**
 * A preview as lines for a card: `POST https://…` then its headers and body; an exec program and
 * its argv as a JSON array (so every argument's bounds show); the queue operation; or the probe.
 */
export function describeActionPreview(preview: ActionPreview): string[] {
  switch (preview.kind) {
    case 'http':
      return [
        `${preview.method} ${preview.url}`,
        ...preview.headers.map(([name, value]) => `${name}: ${value}`),
        ...(preview.body === undefined ? [] : [`body ${preview.body}`]),
      ];
    case 'exec':
      return [`program ${preview.program}`, `argv ${JSON.stringify(preview.args)}`];
    case 'queue':
      return [`${preview.operation} BullMQ queue ${JSON.stringify(preview.queue)} (prefix ${preview.prefix}${preview.redis === undefined ? ', Warden’s Redis' : `, ${preview.redis}`})`];
    case 'probe':
      return [`${preview.probe} probe: reads only, on the incident as it is when it runs`];
  }
}

import type { ActionConfig } from '../config/action-schema.js';
import { isWardenError } from '../errors/warden-error.js';
import type { ActionRendering } from '../model/action-rendering.js';
import { buildActionPreview } from './build-action-preview.js';

/**
 * Why `rendering` can no longer run as it was shown, or `undefined` when it can: rendered again
 * from its stored inputs with the action as configured now, its preview must be the same (secret
 * values aside, which are masked in both), else the configuration changed what would run.
 */
export function checkRenderingCurrent(action: ActionConfig, rendering: ActionRendering, secrets: readonly string[]): string | undefined {
  const changed = 'not run: the action’s configuration changed since it was requested, so what would run now differs from what was shown; request it again';
  try {
    const preview = buildActionPreview(action, rendering.inputs, secrets);
    return JSON.stringify(preview) === JSON.stringify(rendering.preview) ? undefined : changed;
  } catch (error) {
    if (!isWardenError(error)) throw error;
    return `${changed} (${error.message})`;
  }
}

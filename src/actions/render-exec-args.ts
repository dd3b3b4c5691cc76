import { WardenError } from '../errors/warden-error.js';
import { renderTemplate } from '../templates/render-template.js';
import type { ExecAction } from './run-exec-action.js';

/**
 * The arguments after `argv[0]` of an `exec` action, each element rendered on its own from
 * `inputs`, so an input is always exactly one argument. The approval card's preview and the run
 * come from here.
 *
 * @throws WardenError `template_input_rejected` when an input fails its pattern or holds a NUL.
 */
export function renderExecArgs(action: ExecAction, inputs: Record<string, string>): string[] {
  return action.argv.slice(1).map((template) => renderTemplate(template, inputs, action.params, refuseNul));
}

/** An argument cannot hold NUL (the OS would cut it there): refuse instead of passing something else. */
function refuseNul(value: string): string {
  if (value.includes('\u0000')) throw new WardenError('template_input_rejected', 'a program argument cannot contain a NUL character');
  return value;
}

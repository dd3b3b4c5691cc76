import { isWardenError, WardenError } from '../errors/warden-error.js';
import { TEMPLATE_REFERENCE } from '../config/template-inputs.js';

/** Inputs Warden generates itself; every other input needs a pattern in the action's `params`. */
const TRUSTED_INPUTS = new Set(['incident.key']);

/** Longer values are refused before any pattern runs, so a costly pattern cannot stall a worker. */
export const MAX_TEMPLATE_INPUT_LENGTH = 4096;

const SHOWN_VALUE_LENGTH = 64;

/**
 * Replaces every `{{ input }}` in `template` with `escape(value)`.
 *
 * Each input must exist in `inputs` and fully match its pattern from `patterns` (the action's
 * `params`); only `incident.key`, which Warden generates, may go without a pattern. Values are
 * inserted once: a `{{` inside a value is never expanded again.
 *
 * @throws WardenError `template_input_rejected` naming the input, the pattern and the offending value.
 */
export function renderTemplate(
  template: string,
  inputs: Record<string, string>,
  patterns: Record<string, string>,
  escape: (value: string) => string,
): string {
  return template.replace(TEMPLATE_REFERENCE, (_reference, name: string) => {
    const value = Object.hasOwn(inputs, name) ? inputs[name] : undefined;
    if (value === undefined) throw reject(`{{ ${name} }} has no value${describeMissing(name)}`);
    if (value.length > MAX_TEMPLATE_INPUT_LENGTH) {
      throw reject(`{{ ${name} }} was rejected: its value ${quoteValue(value)} is longer than ${MAX_TEMPLATE_INPUT_LENGTH} characters`);
    }
    const pattern = Object.hasOwn(patterns, name) ? patterns[name] : undefined;
    if (pattern === undefined) {
      if (TRUSTED_INPUTS.has(name)) return applyEscape(escape, name, value);
      throw reject(`{{ ${name} }} has no pattern; add params: { ${name}: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$' } (or tighter) to the action`);
    }
    if (!matchesFully(pattern, value, name)) {
      throw reject(`{{ ${name} }} was rejected: the value ${quoteValue(value)} does not match the pattern ${pattern} (params.${name})`);
    }
    return applyEscape(escape, name, value);
  });
}

/**
 * Escapes a value for use inside a PromQL double-quoted string (`instance="{{ labels.instance }}"`).
 * It does not neutralise regex syntax: for `=~` matchers, rely on the input's pattern.
 */
export function escapePromQLString(value: string): string {
  return value.replace(/[\\"\u0000-\u001f\u007f]/g, (character) => {
    switch (character) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/**
 * Escapes a value for any part of a URL template: `encodeURIComponent`, except that `:` stays, so
 * `http://{{ labels.instance }}/healthz` works for `instance="web-1:9100"`. `/ ? # @ %` and
 * spaces are still encoded, so a value can never add a path, query, fragment or credentials.
 *
 * @throws WardenError `template_input_rejected` for the values "." and "..", which would move up the path.
 */
export function escapeUrlComponent(value: string): string {
  // URL parsers resolve "." and ".." segments (even as %2e): no escaping can keep them in place.
  if (value === '.' || value === '..') throw reject(`the value ${quoteValue(value)} would change the URL path`);
  return encodeURIComponent(value).replaceAll('%3A', ':');
}

function applyEscape(escape: (value: string) => string, name: string, value: string): string {
  try {
    return escape(value);
  } catch (error) {
    if (isWardenError(error, 'template_input_rejected')) throw reject(`{{ ${name} }} was rejected: ${error.message}`);
    throw error;
  }
}

function matchesFully(pattern: string, value: string, name: string): boolean {
  let expression: RegExp;
  try {
    // Anchoring again makes the check a full match even for a pattern written without ^…$.
    expression = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw reject(`{{ ${name} }} cannot be checked: its pattern ${pattern} (params.${name}) is not a valid regular expression`);
  }
  return expression.test(value);
}

function describeMissing(name: string): string {
  if (name.startsWith('labels.')) return `: the alert has no "${name.slice('labels.'.length)}" label`;
  if (name.startsWith('incident.')) return '';
  return ': templates may use labels.<name>, incident.key, incident.severity or incident.title';
}

/** JSON-escaped, truncated, ASCII-only: shows exactly what arrived without letting it format the message. */
function quoteValue(value: string): string {
  const characters = Array.from(value);
  const truncated = characters.length > SHOWN_VALUE_LENGTH;
  const shown = truncated ? characters.slice(0, SHOWN_VALUE_LENGTH).join('') : value;
  const quoted = JSON.stringify(shown).replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return truncated ? `${quoted}… (${characters.length} characters)` : quoted;
}

function reject(message: string): WardenError {
  return new WardenError('template_input_rejected', message);
}

/**
 * An action's summary rule: what of a response body may be shown. `json` names a field by its
 * dotted path (`error.message`, `items.0.state`); `match` is a regular expression whose first
 * capture group (or, without one, whole match) is shown.
 */
export type ResponseSummaryRule = { json: string; match?: undefined } | { match: string; json?: undefined };

/**
 * What `rule` extracts from `text` (a response body, already scrubbed of secrets), or `''` when
 * it finds nothing: a body that is not JSON, a missing field, no match. Scalars are shown as
 * they are, objects and arrays as JSON; the caller sanitizes and cuts the result.
 */
export function extractResponseSummary(rule: ResponseSummaryRule, text: string): string {
  if (rule.json !== undefined) return extractJsonField(rule.json, text);
  const match = new RegExp(rule.match, 'm').exec(text);
  if (match === null) return '';
  return match[1] ?? match[0];
}

function extractJsonField(path: string, text: string): string {
  let node: unknown;
  try {
    node = JSON.parse(text);
  } catch {
    return '';
  }
  for (const segment of path.split('.')) {
    if (Array.isArray(node) && /^\d+$/.test(segment)) node = node[Number(segment)];
    else if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.hasOwn(node, segment)) node = (node as Record<string, unknown>)[segment];
    else return '';
  }
  if (node === undefined || node === null) return '';
  return typeof node === 'string' ? node : JSON.stringify(node);
}

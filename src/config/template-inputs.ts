/** What a template may reference: an alert label, or one of the incident's own fields. */
export const TEMPLATE_INPUT_PATTERN = /^(labels\.[A-Za-z_][A-Za-z0-9_]*|incident\.(key|severity|title))$/;

/** `{{ labels.instance }}` — whitespace inside the braces is optional. */
export const TEMPLATE_REFERENCE = /\{\{\s*([^{}\s]+)\s*\}\}/g;

const NOT_TEMPLATES = new Set(['params', 'allowHosts', 'summary']);

/**
 * Every template input referenced by any string inside `action` (objects and arrays are walked),
 * except under `params`, `allowHosts` and `summary`, which hold patterns and rules rather than templates.
 */
export function findTemplateInputs(action: object): Set<string> {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(TEMPLATE_REFERENCE)) found.add(match[1]!);
    } else if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (node !== null && typeof node === 'object') {
      Object.values(node).forEach(visit);
    }
  };
  for (const [key, value] of Object.entries(action)) if (!NOT_TEMPLATES.has(key)) visit(value);
  return found;
}

/** The alert label names `action`'s templates use (`{{ labels.<name> }}`), sorted. */
export function findTemplateLabels(action: object): string[] {
  return [...findTemplateInputs(action)]
    .filter((input) => input.startsWith('labels.'))
    .map((input) => input.slice('labels.'.length))
    .sort();
}

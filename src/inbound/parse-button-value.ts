/**
 * A card button's value as the JSON object Warden put there, or undefined for anything longer than
 * `maxLength`, unparsable or not an object. Each button checks the fields it needs on top.
 */
export function parseButtonValue(value: string, maxLength: number): Record<string, unknown> | undefined {
  if (value.length > maxLength) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

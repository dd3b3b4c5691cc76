/** True when `source` is a valid regular expression anchored with ^ and $ (a whole-value match). */
export function isAnchoredPattern(source: string): boolean {
  try {
    new RegExp(source);
    return source.startsWith('^') && source.endsWith('$');
  } catch {
    return false;
  }
}

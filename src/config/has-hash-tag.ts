/**
 * True when keys starting with `prefix` hash by a Redis Cluster hash tag: the text between the first
 * `{` and the next `}`, if not empty (the rule of the cluster spec). All such keys share one slot.
 */
export function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  if (open < 0) return false;
  const close = prefix.indexOf('}', open + 1);
  return close > open + 1;
}

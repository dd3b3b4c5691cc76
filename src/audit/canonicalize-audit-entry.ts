/**
 * The canonical form of an audit entry: the exact text its hash covers. An external verifier must
 * produce the same characters, so the rules are spelled out completely:
 *
 * 1. Take every field of the entry **except `hash`** (for entries Warden writes: `seq`, `at`, `type`,
 *    `actor`, `subject`, `outcome`, `detail`, `prev`; a field Warden does not know is included too, so
 *    adding one is detected). Fields that are absent or `undefined` are left out.
 * 2. Serialise as JSON with no whitespace at all (no spaces, no newlines).
 * 3. Object members, at every depth (including inside `detail` and inside arrays), are sorted by key,
 *    comparing keys as sequences of UTF-16 code units (JavaScript's default `sort()` order; for ASCII
 *    keys this is plain byte order). Array elements keep their order.
 * 4. Strings and numbers are written as ECMAScript `JSON.stringify` writes them: `"` and `\` are
 *    escaped with a backslash, control characters U+0000–U+001F as `\b \f \n \r \t` or `\u00xx`
 *    (lowercase hex), every other character as itself (UTF-8); integers without a decimal point or
 *    exponent (`seq` is always one). `true`, `false` and `null` as such.
 *
 * For JSON input this is RFC 8785 (JSON Canonicalization Scheme) restricted to the values Warden
 * writes; `jq -cS 'del(.hash)'` gives the same text for entries whose strings are printable ASCII and whose
 * numbers are integers.
 * The value is normalised through `JSON.parse(JSON.stringify(…))` first, so what is hashed is
 * exactly what is stored (a `Date` becomes its ISO string, `undefined` members disappear).
 */
export function canonicalizeAuditEntry(entry: object): string {
  const { hash: _hash, ...rest } = entry as Record<string, unknown>;
  return writeCanonical(JSON.parse(JSON.stringify(rest)) as unknown);
}

function writeCanonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(writeCanonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, as rule 3 (and RFC 8785) requires; localeCompare would not.
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${writeCanonical(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

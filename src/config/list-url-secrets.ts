const SECRET_PARAM = /^(token|access_token|api[-_]?key|key|secret|password|signature)$/i;

/**
 * The credentials written in a URL, to keep out of logs and messages: its password (as written
 * and decoded) and the values of secret-named query parameters (`token`, `api_key`, `password` …).
 */
export function listUrlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  const found: string[] = [];
  if (parsed.password) {
    found.push(parsed.password);
    try {
      found.push(decodeURIComponent(parsed.password));
    } catch {
      // Not valid percent-encoding: the raw form is listed.
    }
  }
  for (const [name, value] of parsed.searchParams) if (SECRET_PARAM.test(name) && value) found.push(value);
  return [...new Set(found)];
}

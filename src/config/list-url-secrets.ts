const SECRET_PARAM = /^(token|access_token|api[-_]?key|key|secret|password|signature)$/i;

/**
 * The credentials written in a URL, to keep out of logs and messages: its password (as written
 * and decoded), the Basic `Authorization` value made of it (base64 of `user:password`, as Warden
 * sends it to http targets and Prometheus) and the values of secret-named query parameters
 * (`token`, `api_key`, `password` …).
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
      const password = decodeURIComponent(parsed.password);
      found.push(password, Buffer.from(`${decodeURIComponent(parsed.username)}:${password}`).toString('base64'));
    } catch {
      // Not valid percent-encoding: the raw form is listed.
    }
  }
  for (const [name, value] of parsed.searchParams) if (SECRET_PARAM.test(name) && value) found.push(value);
  return [...new Set(found)];
}

/**
 * Redis replies that mean "not now" rather than "never": the server is loading its data, is a
 * replica after a failover, has no reachable primary, is resharding, is out of memory or busy with a
 * long script, or could not reach its replicas (https://redis.io/docs/latest/develop/reference/protocol-spec/#simple-errors).
 */
const TRANSIENT_REPLIES = new Set(['LOADING', 'READONLY', 'MASTERDOWN', 'CLUSTERDOWN', 'TRYAGAIN', 'NOREPLICAS', 'BUSY', 'OOM', 'MOVED', 'ASK']);

/** ioredis' own words for a connection that cannot carry a command right now. */
const CONNECTION_FAILURES =
  /^(Connection is closed|Connection is aborted|Command aborted due to connection close|Command timed out|Stream isn't writeable|Cluster is (disconnected|disconnecting|ended)|Cluster isn't ready|Node is disconnected|None of startup nodes is available|Too many Cluster redirections|Socket timeout|All sentinels are unreachable|Reached the max retries per request limit|Failed to refresh slots cache|connect ETIMEDOUT)/;

/**
 * True when `error` says Redis cannot be reached or cannot take writes right now, so the caller
 * should answer 503 and let the sender deliver again; false for an answer that another try would
 * only repeat (a script error, a wrong type, a bug of Warden's own), which deserves a different
 * status and message than "Redis is unavailable".
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'ReplyError') return TRANSIENT_REPLIES.has(error.message.split(' ', 1)[0] ?? '');
  if (error.name === 'MaxRetriesPerRequestError' || error.name === 'ClusterAllFailedError') return true;
  // A socket's own failure (ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, EHOSTUNREACH …).
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return CONNECTION_FAILURES.test(error.message);
}

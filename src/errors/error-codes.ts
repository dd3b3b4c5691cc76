/** What every use of one error code has in common. */
export interface ErrorCodeInfo {
  /**
   * The HTTP status of a response with this code, unless the place that raises it says otherwise;
   * `undefined` for a code that is not an HTTP answer of its own (a WardenError without a status
   * that still reaches a route answers 500).
   */
  readonly status: number | undefined;
  /** Whether another attempt can succeed (a transient failure) rather than fail the same way (a permanent one). */
  readonly retryable: boolean;
}

/**
 * Every code a {@link WardenError} (and so an HTTP error body's `error`) can carry, with its
 * default status and retry semantics. A WardenError takes both from here unless its constructor
 * is given its own.
 */
export const ERROR_CODES = {
  // HTTP requests

  /** Fastify refused the request for a reason Warden does not name itself; raised with Fastify's own 4xx status. */
  bad_request: { status: 400, retryable: false },
  /** The request body is over the route's body limit. */
  body_too_large: { status: 413, retryable: false },
  /** A route that needs a body got none. */
  empty_body: { status: 400, retryable: false },
  /** The Content-Length header does not match the body that arrived. */
  invalid_content_length: { status: 400, retryable: false },
  /** The body is not valid JSON. */
  invalid_json: { status: 400, retryable: false },
  /** The body is of a type the route does not read (the Slack route answers 415 instead). */
  unsupported_content_type: { status: 400, retryable: false },
  /** The body parses but is not what the route takes, or an Alertmanager notification cannot be stored as sent. */
  invalid_payload: { status: 400, retryable: false },
  /** The incident export got an unknown or malformed query parameter. */
  invalid_query: { status: 400, retryable: false },
  /** A Lark request uses an event schema other than 2.0. */
  unsupported_schema: { status: 400, retryable: false },
  /** A Lark request's `encrypt` field is not well-formed ciphertext. */
  invalid_encrypt: { status: 400, retryable: false },
  /** Missing or wrong credentials: webhook or read token, Slack signature, Lark signature or verification token. */
  unauthorized: { status: 401, retryable: false },
  /** No route matches the request's method and path. */
  not_found: { status: 404, retryable: false },
  /** Redis is out of reach (or did not confirm a write) while a request is stored; the sender delivers again. */
  store_unavailable: { status: 503, retryable: true },
  /** A Slack request arrived before the Slack app was initialised. */
  slack_not_ready: { status: 503, retryable: true },
  /** Anything Warden did not expect; the response reveals nothing more, the logs do. */
  internal_error: { status: 500, retryable: false },

  // Actions and jobs

  /** A template input fails its pattern or cannot be placed safely (NUL, control characters, a "." or ".." path segment). */
  template_input_rejected: { status: 422, retryable: false },
  /** A rendered URL's host is outside the action's `allowHosts`. */
  host_not_allowed: { status: 422, retryable: false },
  /** An `http` action's request cannot be built after templating (URL, header, GET body, idempotency key). */
  invalid_request: { status: undefined, retryable: false },
  /** An `exec` action's environment cannot be handed to the program (variable name, NUL, empty idempotency key). */
  invalid_environment: { status: undefined, retryable: false },
  /** A remediation action was asked to run as a read-only probe. */
  not_a_probe: { status: undefined, retryable: false },
  /** A remediate attempt lost its job lock before its program started. */
  job_lock_lost: { status: undefined, retryable: true },
  /** Another attempt of the same remediate request started the program meanwhile. */
  exec_run_taken: { status: undefined, retryable: true },

  // Alertmanager silences

  /** Alertmanager did not answer (connection refused, timeout, DNS) or failed on its side (5xx, 429). */
  alertmanager_unavailable: { status: undefined, retryable: true },
  /** Alertmanager refused the call for good (400, 401, 403 …), or answered something that is not its API. */
  alertmanager_rejected: { status: undefined, retryable: false },
  /** Warden has no Alertmanager address for the incident: no `alertmanager.apiUrl` and no usable `externalURL`. */
  alertmanager_unknown: { status: undefined, retryable: false },
  /** The incident has no labels to silence it by (no group labels, none its alerts share). */
  silence_no_matchers: { status: undefined, retryable: false },

  // Chat platforms and cards

  /** The chat platform rate limited the call; wait for its Retry-After, which is not a failed attempt. */
  chat_rate_limited: { status: undefined, retryable: true },
  /** The chat platform could not be reached or failed on its side. */
  chat_unavailable: { status: undefined, retryable: true },
  /** The chat platform refused the call for good (unknown channel, revoked token, bad card …). */
  chat_rejected: { status: undefined, retryable: false },
  /** A card's message was deleted or can no longer be edited; the card has to be posted anew. */
  chat_message_gone: { status: undefined, retryable: false },
  /** A card has a button or select over the platform's limits. */
  card_invalid: { status: undefined, retryable: false },
  /** A card does not fit Lark's card size limit. */
  card_too_large: { status: undefined, retryable: false },

  // Audit log

  /** The audit log cannot take an entry: Redis failed or appends kept losing the race (permanent when the head key was lost). */
  audit_unavailable: { status: undefined, retryable: true },
  /** An audit JSONL file cannot be read. */
  audit_file_unreadable: { status: undefined, retryable: false },
  /** Posting an audit checkpoint failed: network error, timeout or a non-2xx answer. */
  checkpoint_post_failed: { status: undefined, retryable: true },
  /** No audit checkpoint was taken before the shutdown deadline. */
  checkpoint_timeout: { status: undefined, retryable: true },

  // Redis

  /** Warden cannot connect to Redis when it starts. */
  redis_unavailable: { status: undefined, retryable: true },
  /** No Redis answers at the default URL and redis-server is not installed to start one. */
  redis_not_found: { status: undefined, retryable: false },
  /** Redis did not confirm a write on the replicas `redis.waitForReplicas` asks for. */
  replica_unconfirmed: { status: 503, retryable: true },
  /** A Redis command of the self-audit got no answer in time. */
  redis_timeout: { status: undefined, retryable: true },
  /** `CONFIG GET` returned no value during the self-audit. */
  redis_config_unreadable: { status: undefined, retryable: false },

  // Configuration

  /** The configuration (file, environment, checklists or playbooks) is invalid or lacks a required secret. */
  config_invalid: { status: undefined, retryable: false },
  /** `LOG_LEVEL` names no log level. */
  invalid_log_level: { status: undefined, retryable: false },
} as const satisfies Record<string, ErrorCodeInfo>;

/** One of the codes in {@link ERROR_CODES}. */
export type ErrorCode = keyof typeof ERROR_CODES;

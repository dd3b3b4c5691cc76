import { createRequire } from 'node:module';
import { pino } from 'pino';
import { WardenError } from '../errors/warden-error.js';
import { createSecretScrubber, REDACTED } from './scrub-secrets.js';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** pino level name (`trace` … `fatal`, `silent`); usually `LOG_LEVEL`. Default `info`. */
  level?: string;
  /** Secret values (tokens, signing secrets, passwords) to remove wherever they appear in a log line. */
  secrets?: readonly string[];
  /** Where the lines go. Default: stdout. */
  destination?: pino.DestinationStream;
  /**
   * Human-readable lines (pino-pretty: time, level, message, then the fields) instead of JSON, for a
   * person reading a terminal; each line is still one write to `destination`. Default false: JSON
   * lines, as production log pipelines expect.
   */
  pretty?: boolean;
  /** With `pretty`: colour the level and message with ANSI codes. Default false. */
  color?: boolean;
}

/**
 * Field names whose values are replaced wherever they appear, at any depth and in any case:
 * credentials headers, request signatures, and every name ending in token / secret / password /
 * credential(s) or in an API, access, private, session, signing, encryption, HMAC or client key
 * (`x-api-key`, `apiKey`, `sessionKey` …). A bare `key` is an incident's key, not a secret.
 */
export const SECRET_KEY = /^(?:(?:proxy-)?authorization|(?:set-)?cookie|(?:x-(?:slack|lark)-)?signature|.*(?:token|secret|password|passwd|credentials?|(?:api|access|private|session|signing|encrypt|hmac|client)[-_]?key))$/i;

/**
 * pino `redact` paths, a second layer behind {@link SECRET_KEY} (they also cover `%j` interpolation).
 * Deliberately without wildcards: in pino 10 each `*.x` path costs about 1 µs on every line, and
 * SECRET_KEY already matches these names at any depth.
 */
export const REDACT_PATHS: readonly string[] = [
  'authorization',
  'token',
  'password',
  'secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'req.headers["x-lark-signature"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-slack-signature"]',
  'headers["x-lark-signature"]',
  '["x-slack-signature"]',
  '["x-lark-signature"]',
];

/** Deeper values are replaced by this marker rather than walked (and possibly leaked). */
const MAX_DEPTH = 12;
const DROPPED = { logFieldsDropped: 'the fields of this line could not be scrubbed' };

type Sanitize = (value: unknown) => unknown;

/**
 * Returns a function that copies a value for logging with every string scrubbed, every field named
 * like a secret ({@link SECRET_KEY}) replaced, and every Error serialised (type, message, stack, `cause` chain, own properties) and scrubbed. Unchanged objects
 * are returned as they are, so the common case allocates nothing.
 */
function createSanitizer(scrub: (text: string) => string): Sanitize {
  const walk = (value: unknown, depth: number, path: Set<object>): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (typeof value !== 'object' || value === null) return value;
    if (ArrayBuffer.isView(value) || value instanceof Date) return value;
    if (path.has(value)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Object]';

    path.add(value);
    try {
      if (value instanceof Error) return walk(pino.stdSerializers.errWithCause(value), depth, path);
      // URL and friends: log what JSON.stringify would, scrubbed.
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return walk(toJSON.call(value), depth + 1, path);

      if (Array.isArray(value)) {
        let copy: unknown[] | undefined;
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          const clean = walk(item, depth + 1, path);
          if (clean !== item) copy ??= value.slice();
          if (copy) copy[i] = clean;
        }
        return copy ?? value;
      }

      const record = value as Record<string, unknown>;
      let copy: Record<string, unknown> | undefined;
      for (const key of Object.keys(record)) {
        const field = record[key];
        const clean = SECRET_KEY.test(key) && (typeof field === 'string' || (typeof field === 'object' && field !== null))
          ? REDACTED
          : walk(field, depth + 1, path);
        if (clean !== field) copy ??= Object.assign({}, record);
        if (copy) copy[key] = clean;
      }
      return copy ?? value;
    } finally {
      path.delete(value);
    }
  };

  return (value) => {
    try {
      return walk(value, 0, new Set());
    } catch {
      // A throwing getter must not make logging throw, and the raw value must not be written.
      return DROPPED;
    }
  };
}

/**
 * Turns each JSON line into pino-pretty's readable form before it reaches `target` (stdout by
 * default), in the same call: a line is never split, and it runs after redaction and scrubbing, so
 * the readable form holds no more than the JSON line did.
 */
function prettyDestination(target: pino.DestinationStream | undefined, color: boolean): pino.DestinationStream {
  // Loaded only for a terminal: a production process (JSON lines) never holds pino-pretty in memory.
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const prettify = prettyFactory({ colorize: color, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss', singleLine: false });
  const write = target ? (text: string) => target.write(text) : (text: string) => void process.stdout.write(text);
  return { write: (line: string) => write(prettify(line)) };
}

/**
 * Creates Warden's JSON logger (pino 10). Secrets are kept out of every line in three ways: fields
 * named like secrets ({@link SECRET_KEY}) are replaced at any depth, pino `redact` replaces the
 * values at {@link REDACT_PATHS}, and the secret scrubber ({@link createSecretScrubber}) runs over
 * the message, every string field, every serialised Error (message, stack, `cause` chain) and
 * child-logger bindings. Child loggers keep all three.
 */
export function createLogger(options: CreateLoggerOptions = {}): pino.Logger {
  const level = options.level ?? 'info';
  if (!Object.hasOwn(pino.levels.values, level) && level !== 'silent') {
    throw new WardenError(
      'invalid_log_level',
      `LOG_LEVEL "${level}" is not a log level; use one of trace, debug, info, warn, error, fatal or silent`,
    );
  }

  const scrub = createSecretScrubber(options.secrets ?? []);
  const sanitize = createSanitizer(scrub);
  const sanitizeFields = (fields: Record<string, unknown>): Record<string, unknown> => {
    const clean = sanitize(fields);
    return typeof clean === 'object' && clean !== null ? (clean as Record<string, unknown>) : DROPPED;
  };

  const loggerOptions: pino.LoggerOptions = {
    level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    formatters: { log: sanitizeFields, bindings: sanitizeFields },
    serializers: {
      // formatters.log has already serialised and scrubbed errors; pino's default would re-wrap them.
      err: (value: unknown) => value,
      // Applied to the final message, after printf-style interpolation.
      msg: (value: unknown) => (typeof value === 'string' ? scrub(value) : value),
    },
  };
  const destination = options.pretty ? prettyDestination(options.destination, options.color === true) : options.destination;
  const logger = destination ? pino(loggerOptions, destination) : pino(loggerOptions);

  // pino does not run formatters.bindings for children, so their bindings are scrubbed here; children
  // are created with Object.create(parent) and so inherit these wrappers.
  const createChild = logger.child;
  logger.child = function child<ChildCustomLevels extends string = never>(
    this: unknown,
    bindings: pino.Bindings,
    childOptions?: pino.ChildLoggerOptions<ChildCustomLevels>,
  ): pino.Logger<ChildCustomLevels> {
    return Reflect.apply(createChild, this, [sanitizeFields(bindings), childOptions]) as pino.Logger<ChildCustomLevels>;
  };
  const setBindings = logger.setBindings;
  logger.setBindings = function scrubbedSetBindings(this: unknown, bindings: pino.Bindings) {
    Reflect.apply(setBindings, this, [sanitizeFields(bindings)]);
  };

  return logger;
}

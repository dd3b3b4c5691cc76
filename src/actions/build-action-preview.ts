import type { ActionConfig } from '../config/action-schema.js';
import { createSecretScrubber, REDACTED } from '../observability/scrub-secrets.js';
import type { ActionPreview } from '../model/action-rendering.js';
import { renderExecArgs } from './render-exec-args.js';
import { renderHttpRequest } from './render-http-request.js';
import { renderTemplate } from '../templates/render-template.js';

/** Header values shown as they are; every other header value may hold a secret and is masked. */
const SHOWN_HEADERS = new Set(['content-type', 'accept', 'user-agent']);
/** The preview does not depend on the request id: the idempotency key is not shown. */
const PREVIEW_KEY = 'preview';

/**
 * What running `action` with `inputs` does, as people see it, with secrets masked: `secrets`
 * (e.g. `listSecrets(config)`) and credentials anywhere in it are replaced, header values other
 * than content-type, accept and user-agent are masked whole. It comes from the same renderers the
 * runners use (`renderHttpRequest`, `renderExecArgs`), so it is what would run; the same action and
 * inputs always give the same preview.
 *
 * @throws WardenError `template_input_rejected` or `invalid_request` when the inputs cannot be rendered.
 */
export function buildActionPreview(action: ActionConfig, inputs: Record<string, string>, secrets: readonly string[]): ActionPreview {
  const scrub = createSecretScrubber(secrets);
  switch (action.kind) {
    case 'http': {
      const request = renderHttpRequest(action, inputs, PREVIEW_KEY);
      const configured = new Set(Object.keys(action.request.headers).map((name) => name.toLowerCase()));
      if (request.credentials.length > 0) configured.add('authorization');
      const headers: [string, string][] = [];
      for (const [name, value] of request.headers) {
        if (configured.has(name)) headers.push([name, SHOWN_HEADERS.has(name) ? scrub(value) : REDACTED]);
      }
      return { kind: 'http', method: action.request.method, url: scrub(request.url.toString()), headers, ...(request.body === undefined ? {} : { body: scrub(request.body) }) };
    }
    case 'exec':
      return { kind: 'exec', program: scrub(action.argv[0]!), args: renderExecArgs(action, inputs).map(scrub) };
    case 'queue':
      return {
        kind: 'queue',
        operation: action.operation,
        queue: scrub(renderTemplate(action.queue, inputs, action.params, (value) => value)),
        prefix: action.prefix,
        ...(action.redis === undefined ? {} : { redis: scrub(action.redis) }),
      };
    default:
      return { kind: 'probe', probe: action.kind };
  }
}

import type { HttpInstance } from '@larksuiteoapi/node-sdk';
import { createLarkHttp, type LarkHttpOptions } from './create-lark-http.js';
import { LarkApiError } from './lark-api-error.js';

/**
 * The HTTP client the long connection fetches its endpoint with: Warden's Lark client (no secret in
 * any error), except that a refusal with a Lark `code` is handed back as a body, as the SDK expects:
 * it tells a refusal it must not retry (credentials, too many connections) from a busy gateway only
 * by that code, and gives up on the former instead of retrying for ever.
 */
export function createLarkEndpointHttp(options: LarkHttpOptions): HttpInstance {
  const http = createLarkHttp(options);
  return {
    ...http,
    request: async (opts) => {
      try {
        return await http.request(opts);
      } catch (error) {
        if (!(error instanceof LarkApiError) || error.code === undefined) throw error;
        return { code: error.code, msg: error.message, data: {} } as never;
      }
    },
  } as HttpInstance;
}

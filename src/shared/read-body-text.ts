/** What {@link readBodyText} read. */
export interface BodyText {
  text: string;
  /** True when the body was longer than the limit and the rest was not read. */
  truncated: boolean;
}

/**
 * Reads at most `maxBytes` of a response body as UTF-8 and cancels the rest, so a huge or endless
 * answer cannot exhaust memory. Rejects like `fetch` does when the request's signal aborts.
 */
export async function readBodyText(response: Response, maxBytes: number): Promise<BodyText> {
  if (response.body === null) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - size;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        size += room;
        truncated = true;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    if (truncated) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), truncated };
}

import type { Cache } from '@larksuiteoapi/node-sdk';

/** A Lark SDK token cache that can be emptied when the platform refuses a cached token. */
export interface TokenCache extends Cache {
  clear(): void;
}

/**
 * One token cache per adapter. The SDK's default cache is a module-wide singleton keyed by app id,
 * so two clients for the same app (or a test against a fake) would share — and trust — each other's
 * tokens. `expiredTime` is the absolute epoch-ms deadline the SDK computes (expiry minus 3 minutes).
 */
export function createTokenCache(): TokenCache {
  const values = new Map<string, { value: unknown; expiredTime: number | undefined }>();
  const keyOf = (key: string | Symbol, namespace?: string) => `${namespace ?? ''}/${key.toString()}`;
  return {
    async get(key, options) {
      const entry = values.get(keyOf(key, options?.namespace));
      if (entry === undefined) return undefined;
      if (entry.expiredTime !== undefined && entry.expiredTime <= Date.now()) return undefined;
      return entry.value;
    },
    async set(key, value, expiredTime, options) {
      values.set(keyOf(key, options?.namespace), { value, expiredTime });
      return true;
    },
    clear() {
      values.clear();
    },
  };
}

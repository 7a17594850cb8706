/**
 * Token management: one manager per credential. Single-flight fetch, proactive refresh before expiry,
 * invalidate-then-refresh on token errors. Storage is pluggable (`TokenStore`): memory by default, Redis for
 * many processes (`@scrm-openapi/redis`).
 */
import { createHash } from 'node:crypto';
import type { Logger } from './logger.js';
import { logEvent } from './logger.js';

export interface StoredToken {
  readonly value: string;
  /** Epoch milliseconds after which the token must not be used. */
  readonly expiresAt: number;
  /** Epoch milliseconds from which a new token should be fetched (before `expiresAt`). */
  readonly refreshAt?: number;
}

export interface TokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  /** Removes the token; when `expectedValue` is given, only if the stored token still has that value. */
  delete(key: string, expectedValue?: string): Promise<void>;
}

/** The default store: this process's memory. */
export class MemoryTokenStore implements TokenStore {
  readonly #map = new Map<string, StoredToken>();
  async get(key: string): Promise<StoredToken | undefined> {
    return this.#map.get(key);
  }
  async set(key: string, token: StoredToken): Promise<void> {
    this.#map.set(key, token);
  }
  async delete(key: string, expectedValue?: string): Promise<void> {
    if (expectedValue === undefined || this.#map.get(key)?.value === expectedValue) this.#map.delete(key);
  }
}

/**
 * A store key for a credential: vendor and a fingerprint of the credential. The secret itself never appears
 * (only the first 16 hex characters of a SHA-256 over the credential values).
 */
export function tokenStoreKey(vendor: string, publicId: string, secretParts: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(vendor);
  for (const part of [publicId, ...secretParts]) hash.update('\u0000').update(part);
  return `scrm:${vendor}:token:${publicId}:${hash.digest('hex').slice(0, 16)}`;
}

export interface FetchedToken {
  value: string;
  expiresInSeconds: number;
}

export interface TokenManagerOptions {
  vendor: string;
  key: string;
  store: TokenStore;
  fetchToken: () => Promise<FetchedToken>;
  /** Refresh this long before expiry. Default 5 minutes (capped at half the token's lifetime). */
  refreshMarginMs?: number;
  now?: () => number;
  logger?: Logger | undefined;
  onNewToken?: (value: string) => void;
}

export class TokenManager {
  readonly #o: TokenManagerOptions;
  readonly #now: () => number;
  #inflight: Promise<StoredToken> | undefined;
  #invalidated = false;
  /** Fetches made by this manager (for tests and diagnostics). */
  fetchCount = 0;

  constructor(options: TokenManagerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /** A usable token: from the store while fresh, otherwise one fetch shared by every concurrent caller. */
  async get(): Promise<string> {
    const stored = await this.#o.store.get(this.#o.key);
    const now = this.#now();
    if (stored && now < stored.expiresAt) {
      this.#o.onNewToken?.(stored.value);
      if (now < this.#refreshAt(stored)) return stored.value;
      // inside the refresh margin: refresh now, but keep using the current token if the refresh fails
      try {
        return (await this.#refresh('expiring')).value;
      } catch {
        return stored.value;
      }
    }
    return (await this.#refresh(this.#invalidated ? 'invalidated' : 'cold')).value;
  }

  /** Drops `value` (only if it is still the stored token) so the next `get()` fetches a new one. */
  async invalidate(value: string): Promise<void> {
    this.#invalidated = true;
    await this.#o.store.delete(this.#o.key, value);
  }

  #refreshAt(token: StoredToken): number {
    return token.refreshAt ?? token.expiresAt - (this.#o.refreshMarginMs ?? 5 * 60_000);
  }

  #refresh(reason: 'cold' | 'expiring' | 'invalidated'): Promise<StoredToken> {
    this.#inflight ??= (async () => {
      const started = this.#now();
      try {
        // another caller (or another process sharing the store) may have refreshed since we looked
        const current = await this.#o.store.get(this.#o.key);
        if (current && this.#now() < this.#refreshAt(current)) return current;
        this.fetchCount++;
        const fetched = await this.#o.fetchToken();
        this.#o.onNewToken?.(fetched.value);
        const lifetime = fetched.expiresInSeconds * 1000;
        const issued = this.#now();
        // refresh `refreshMarginMs` before expiry, but never earlier than half-way through the token's life
        const margin = Math.min(this.#o.refreshMarginMs ?? 5 * 60_000, lifetime / 2);
        const token: StoredToken = { value: fetched.value, expiresAt: issued + lifetime, refreshAt: issued + lifetime - margin };
        await this.#o.store.set(this.#o.key, token);
        this.#invalidated = false;
        logEvent(this.#o.logger, { type: 'token-refresh', vendor: this.#o.vendor, reason, durationMs: this.#now() - started, ok: true });
        return token;
      } catch (error) {
        logEvent(this.#o.logger, { type: 'token-refresh', vendor: this.#o.vendor, reason, durationMs: this.#now() - started, ok: false });
        throw error;
      } finally {
        this.#inflight = undefined;
      }
    })();
    return this.#inflight;
  }
}

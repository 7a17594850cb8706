/**
 * Token management: one manager per credential. Single-flight fetch, proactive refresh before expiry,
 * invalidate-then-refresh on token errors. Storage is pluggable (`TokenStore`): memory by default, Redis for
 * many processes (`@scrm-openapi/redis`).
 */
import { createHash } from 'node:crypto';
import { logEvent, type Logger, type ScrmEvent } from './logger.js';

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
  /**
   * Optional, for stores shared by several processes: take a short lock so that exactly one process fetches a new
   * token while the others wait for it. Resolves to a release function, or null when another process holds it.
   */
  acquireLock?(key: string, ttlMs: number): Promise<(() => Promise<void>) | null>;
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

/**
 * The store key of a token of one kind for one app and tenant: `scrm:<vendor>:token:<kind>:<app>:<tenant>:<fingerprint>`.
 * The ids are public (WeCom: suite id, corp id); the fingerprint covers the fixed secrets, so another secret for the
 * same app is another key. Values that change on their own (a pushed ticket, a tenant's code) are left out, so the
 * key stays the same when they do.
 */
export function kindTokenKey(
  vendor: string,
  kind: string,
  app: string,
  tenant: string | undefined,
  secretParts: readonly string[],
): string {
  const hash = createHash('sha256');
  hash.update(vendor);
  for (const part of [kind, app, tenant ?? '', ...secretParts]) hash.update('\u0000').update(part);
  return `scrm:${vendor}:token:${kind}:${app}:${tenant ?? '-'}:${hash.digest('hex').slice(0, 16)}`;
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
  onEvent?: ((event: ScrmEvent) => void) | undefined;
  onNewToken?: (value: string) => void;
  /** How long the refresh lock of a shared store is held at most. Default 5000 ms. */
  lockTtlMs?: number;
  /** How often a process waiting for another one's refresh looks for the new token. Default 50 ms. */
  lockPollMs?: number;
  /**
   * When set, the wait between looks doubles from `lockPollMs` up to this: a process waiting for many tokens at once
   * (a provider's thousand corps) then does not flood the shared store. Default: no growth.
   */
  lockPollMaxMs?: number;
}

/** After a failed proactive refresh, the current token is used this long (at most half its remaining life) before the next try. */
const RETRY_REFRESH_MS = 5000;

export class TokenManager {
  readonly #o: TokenManagerOptions;
  readonly #now: () => number;
  #inflight: Promise<StoredToken> | undefined;
  #invalidated = false;
  /** This manager's copy of the current token, so fresh tokens cost no store round trip. */
  #memo: StoredToken | undefined;
  /** Fetches made by this manager (for tests and diagnostics). */
  fetchCount = 0;

  constructor(options: TokenManagerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A usable token: this manager's copy while fresh (no store round trip per call), otherwise one look-up — and, if
   * needed, one fetch — shared by every concurrent caller.
   */
  async get(): Promise<string> {
    const memo = this.#memo;
    if (memo && this.#now() < this.#refreshAt(memo)) return memo.value;
    this.#inflight ??= this.#resolve().finally(() => {
      this.#inflight = undefined;
    });
    return (await this.#inflight).value;
  }

  /** Drops `value` (only if it is still the stored token) so the next `get()` fetches a new one. */
  async invalidate(value: string): Promise<void> {
    if (this.#memo?.value === value) this.#memo = undefined;
    this.#invalidated = true;
    await this.#o.store.delete(this.#o.key, value);
  }

  /** Forgets the token here and in the store, whatever its value (an authorization was cancelled). */
  async drop(): Promise<void> {
    this.#memo = undefined;
    this.#invalidated = true;
    await this.#o.store.delete(this.#o.key);
  }

  #refreshAt(token: StoredToken): number {
    return token.refreshAt ?? token.expiresAt - (this.#o.refreshMarginMs ?? 5 * 60_000);
  }

  #remember(token: StoredToken): StoredToken {
    this.#memo = token;
    this.#o.onNewToken?.(token.value);
    return token;
  }

  async #resolve(): Promise<StoredToken> {
    // another process sharing the store may have refreshed since this one last looked
    const stored = await this.#o.store.get(this.#o.key);
    const now = this.#now();
    if (stored && now < this.#refreshAt(stored)) return this.#remember(stored);
    if (stored && now < stored.expiresAt) {
      // inside the refresh margin: refresh now, but keep using the current token if the refresh fails — and try again
      // only after a pause, so that a failing (or slow) token endpoint is not called, and waited for, on every call
      try {
        return await this.#refresh('expiring', stored);
      } catch {
        const after = this.#now();
        return this.#remember({ ...stored, refreshAt: after + Math.min(RETRY_REFRESH_MS, (stored.expiresAt - after) / 2) });
      }
    }
    return this.#refresh(this.#invalidated ? 'invalidated' : 'cold', stored);
  }

  async #refresh(reason: 'cold' | 'expiring' | 'invalidated', seen: StoredToken | undefined): Promise<StoredToken> {
    const store = this.#o.store;
    if (!store.acquireLock) return this.#remember(await this.#fetchAndStore(reason));
    const ttl = this.#o.lockTtlMs ?? 5000;
    // A holder that died leaves a lock that expires within `ttl`; whoever takes it next has `ttl` of its own to store
    // a token. Fetching without the lock after only one `ttl` raced that next holder: every waiter fetched as soon as
    // a dead holder's lock expired. So give up on the lock only after both (a store whose lock never frees).
    const deadline = this.#now() + 2 * ttl;
    let poll = this.#o.lockPollMs ?? 50;
    for (;;) {
      const release = await store.acquireLock(this.#o.key, ttl);
      if (release) {
        try {
          const again = await store.get(this.#o.key);
          if (again && again.value !== seen?.value && this.#now() < this.#refreshAt(again)) return this.#remember(again);
          return this.#remember(await this.#fetchAndStore(reason));
        } finally {
          await release().catch(() => undefined);
        }
      }
      // another process is fetching: wait for its token rather than fetching a second one
      await new Promise((resolve) => setTimeout(resolve, poll));
      poll = Math.min(poll * 2, Math.max(poll, this.#o.lockPollMaxMs ?? poll));
      const theirs = await store.get(this.#o.key);
      if (theirs && theirs.value !== seen?.value && this.#now() < this.#refreshAt(theirs)) return this.#remember(theirs);
      if (this.#now() > deadline) return this.#remember(await this.#fetchAndStore(reason)); // the holder died: do not wait forever
    }
  }

  async #fetchAndStore(reason: 'cold' | 'expiring' | 'invalidated'): Promise<StoredToken> {
    const started = this.#now();
    const emit = (ok: boolean) => {
      const event: ScrmEvent = { type: 'token-refresh', vendor: this.#o.vendor, reason, durationMs: this.#now() - started, ok };
      logEvent(this.#o.logger, event);
      this.#o.onEvent?.(event);
    };
    try {
      this.fetchCount++;
      const fetched = await this.#o.fetchToken();
      const lifetime = fetched.expiresInSeconds * 1000;
      const issued = this.#now();
      // refresh `refreshMarginMs` before expiry, but never earlier than half-way through the token's life
      const margin = Math.min(this.#o.refreshMarginMs ?? 5 * 60_000, lifetime / 2);
      const token: StoredToken = { value: fetched.value, expiresAt: issued + lifetime, refreshAt: issued + lifetime - margin };
      await this.#o.store.set(this.#o.key, token);
      this.#invalidated = false;
      emit(true);
      return token;
    } catch (error) {
      emit(false);
      throw error;
    }
  }
}

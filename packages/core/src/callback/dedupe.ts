/**
 * Dedupe stores for callbacks: vendors re-deliver events (WeCom retries up to 3 times), and an attacker may replay
 * a captured request. `checkAndSet` records a key and says whether it was new.
 */

export interface DedupeStore {
  /** Records `key` for `ttlSeconds`; resolves true when the key was new, false when it was already recorded. */
  checkAndSet(key: string, ttlSeconds: number): Promise<boolean>;
}

/** This process's memory; bounded (oldest keys are dropped first beyond `maxKeys`). */
export class MemoryDedupeStore implements DedupeStore {
  readonly #expiry = new Map<string, number>();
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: { maxKeys?: number; now?: () => number } = {}) {
    this.#maxKeys = options.maxKeys ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  async checkAndSet(key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.#now();
    const until = this.#expiry.get(key);
    if (until !== undefined && until > now) return false;
    this.#expiry.delete(key);
    this.#expiry.set(key, now + ttlSeconds * 1000);
    if (this.#expiry.size > this.#maxKeys) this.#evict(now);
    return true;
  }

  #evict(now: number): void {
    for (const [key, until] of this.#expiry) {
      if (until <= now) this.#expiry.delete(key);
    }
    // still too many: drop the oldest insertions
    for (const key of this.#expiry.keys()) {
      if (this.#expiry.size <= this.#maxKeys) break;
      this.#expiry.delete(key);
    }
  }
}

/**
 * Client-side throttling, so that a busy process (or a fleet of them, through a shared store) stays under the
 * vendor's rate limits instead of discovering them through 45009 / 1009 / HTTP 429. The algorithm is GCRA (a
 * virtual-scheduling token bucket): every request reserves the next free slot of its key; `burst` slots may be used
 * at once, after that requests are spaced `interval / limit` apart.
 */

/** A limit: at most `limit` requests per `intervalMs`, with up to `burst` at once (default: 10% of `limit`, at least 1). */
export interface RateLimit {
  readonly limit: number;
  readonly intervalMs: number;
  readonly burst?: number;
}

/** Where throttle state lives: this process (`MemoryThrottleStore`) or shared (`@scrm-openapi/redis`). */
export interface ThrottleStore {
  /** Reserves the next slot of `key` under `limit`; resolves to how many ms to wait before using it. */
  reserve(key: string, limit: RateLimit, now: number): Promise<number>;
  /** After a rate-limit answer: no slot of `key` before `until` (epoch ms). */
  penalize(key: string, until: number, limit: RateLimit, now: number): Promise<void>;
}

/** One rule of a vendor's profile: per operation, per operation group, or for the whole credential. */
export interface RateLimitRule extends RateLimit {
  readonly scope: 'operation' | 'group' | 'vendor';
  /** For `scope: group`: the `x-scrm-rate-limit.group` the operations share. */
  readonly group?: string;
}

export function emissionInterval(limit: RateLimit): number {
  return limit.intervalMs / limit.limit;
}

function burstOf(limit: RateLimit): number {
  return Math.max(1, Math.floor(limit.burst ?? limit.limit / 10));
}

/** How far ahead of its schedule a key may run: the burst, in milliseconds. */
export function burstTolerance(limit: RateLimit): number {
  return emissionInterval(limit) * (burstOf(limit) - 1);
}

/** The arrival time that leaves no burst before `until` (what a rate-limit answer sets). */
export function penaltyTat(until: number, limit: RateLimit): number {
  return until + burstTolerance(limit);
}

/** The GCRA step: from the stored theoretical arrival time, the wait and the new one. */
export function gcra(tat: number | undefined, limit: RateLimit, now: number): { wait: number; tat: number } {
  const t = emissionInterval(limit);
  const tolerance = burstTolerance(limit);
  const start = Math.max(tat ?? now, now);
  const next = start + t;
  const allowAt = next - t - tolerance;
  return { wait: Math.max(0, Math.ceil(allowAt - now)), tat: next };
}

export class MemoryThrottleStore implements ThrottleStore {
  readonly #tat = new Map<string, number>();

  async reserve(key: string, limit: RateLimit, now: number): Promise<number> {
    const { wait, tat } = gcra(this.#tat.get(key), limit, now);
    this.#tat.set(key, tat);
    if (this.#tat.size > 10_000) this.#sweep(now);
    return wait;
  }

  async penalize(key: string, until: number, limit: RateLimit, _now?: number): Promise<void> {
    // the next slot starts at `until`: move the arrival time so that no burst is left before it
    this.#tat.set(key, Math.max(this.#tat.get(key) ?? 0, penaltyTat(until, limit)));
  }

  #sweep(now: number): void {
    for (const [key, tat] of this.#tat) if (tat < now) this.#tat.delete(key);
  }
}

/** The throttle keys (and their limits) an operation's requests count against. */
export function throttleKeys(
  rules: readonly RateLimitRule[],
  scope: string,
  operation: { id?: string | undefined; group?: string | undefined },
): { key: string; limit: RateLimit }[] {
  const out: { key: string; limit: RateLimit }[] = [];
  for (const rule of rules) {
    const suffix = `${rule.limit}/${rule.intervalMs}`;
    if (rule.scope === 'vendor') out.push({ key: `${scope}:all:${suffix}`, limit: rule });
    else if (rule.scope === 'operation' && operation.id) out.push({ key: `${scope}:op:${operation.id}:${suffix}`, limit: rule });
    else if (rule.scope === 'group' && rule.group !== undefined && rule.group === operation.group) {
      out.push({ key: `${scope}:group:${rule.group}:${suffix}`, limit: rule });
    }
  }
  return out;
}

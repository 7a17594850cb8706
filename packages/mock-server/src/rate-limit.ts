/**
 * Rate limits on demand: with the `rateLimits` option (`scrm-mock --rate-limits`) the sandbox enforces each spec's
 * `x-scrm-rate-limits` (compiled into the profile's `rateLimits`; operations join a group through
 * `x-scrm-rate-limit.group`) and answers a call over a limit as the vendor does (`x-scrm-sandbox.rateLimit`: WeCom
 * 45009 in the body, Weiling 1009, Juzibot's group-level host HTTP 429 with a bare string). Each rule is counted per
 * vendor, credential and scope the way the client's throttle counts it — the same rules, the same burst (`burst`,
 * default a tenth of the limit) and the same algorithm (GCRA: `burst` calls at once, then one every
 * `window / limit`) — so a client whose throttle is configured from the same rules is never refused, while one
 * without a throttle is. `timeScale` makes time run faster (a 60 s window lasts 60/n s) and `limitScale` divides
 * every limit, so that tests and benches feel the limits in seconds with a few calls.
 */
import type { RateLimitRule } from '@scrm-openapi/core';
import type { OperationRuntime, VendorName, VendorRuntime } from './spec.js';

export interface RateLimitOptions {
  /** Enforce the limits. Default true when the option is given. */
  enforce?: boolean;
  /** Time runs this many times faster: every window is divided by it. Default 1. */
  timeScale?: number;
  /** Every limit and burst is divided by it (at least 1 call). Default 1. */
  limitScale?: number;
  /**
   * Clock slack (real milliseconds) allowed on top of a rule's burst, for the time between a client's throttle
   * letting a call go and the sandbox receiving it (many calls sent at once reach it tens of ms apart). Default 100.
   */
  slackMs?: number;
}

/** A vendor's rules as the sandbox enforces them (scaled): pass them to the client's `throttle: { rules }`. */
export function scaleRules(rules: readonly RateLimitRule[], options: RateLimitOptions = {}): RateLimitRule[] {
  const time = options.timeScale ?? 1;
  const divide = options.limitScale ?? 1;
  if (!(time > 0 && Number.isFinite(time))) throw new Error('rateLimits.timeScale must be a positive number');
  if (!(divide >= 1 && Number.isFinite(divide))) throw new Error('rateLimits.limitScale must be a number of at least 1');
  return rules.map((r) => {
    const limit = Math.max(1, Math.floor(r.limit / divide));
    const burst = Math.max(1, Math.floor((r.burst ?? r.limit / 10) / divide));
    return { ...r, limit, burst: Math.min(burst, limit), intervalMs: r.intervalMs / time };
  });
}

interface Key {
  id: string;
  interval: number;
  tolerance: number;
}

export class RateLimiter {
  /** The enforced (scaled) rules of each vendor. */
  readonly rules: Record<VendorName, RateLimitRule[]> = {};
  readonly enforce: boolean;
  /** Calls refused per `<vendor>.<operation>`. */
  readonly refused: Record<string, number> = {};
  readonly #tat = new Map<string, number>();
  readonly #keys = new Map<OperationRuntime, Key[]>();
  readonly #slack: number;

  constructor(vendors: readonly VendorRuntime[], options: RateLimitOptions | undefined) {
    this.enforce = options !== undefined && options.enforce !== false;
    this.#slack = options?.slackMs ?? 100;
    if (!(this.#slack >= 0)) throw new Error('rateLimits.slackMs must be 0 or more');
    for (const v of vendors) {
      this.rules[v.name] = scaleRules(v.profile.rateLimits ?? [], options);
      for (const op of v.operations) {
        const group = v.profile.operations[`${op.method} ${op.path}`]?.rateLimitGroup;
        const who = op.credential?.use ?? 'none';
        const keys: Key[] = [];
        for (const rule of this.rules[v.name]!) {
          const scope =
            rule.scope === 'vendor'
              ? 'all'
              : rule.scope === 'operation'
                ? `op:${op.id}`
                : rule.group !== undefined && rule.group === group
                  ? `group:${rule.group}`
                  : undefined;
          if (scope === undefined) continue;
          const interval = rule.intervalMs / rule.limit;
          keys.push({
            id: `${v.name}:${who}:${scope}:${rule.limit}/${rule.intervalMs}`,
            interval,
            tolerance: interval * ((rule.burst ?? 1) - 1),
          });
        }
        this.#keys.set(op, keys);
      }
    }
  }

  /** Counts a call of `op`; when a limit is exceeded, refuses it (not counted) and says when to come back. */
  take(op: OperationRuntime, now = performance.now()): { ok: true } | { ok: false; retryAfterMs: number } {
    if (!this.enforce) return { ok: true };
    const keys = this.#keys.get(op) ?? [];
    let wait = 0;
    for (const k of keys) {
      const tat = Math.max(this.#tat.get(k.id) ?? now, now);
      wait = Math.max(wait, tat - now - k.tolerance - this.#slack);
    }
    if (wait > 0) {
      const key = `${op.vendor}.${op.id}`;
      this.refused[key] = (this.refused[key] ?? 0) + 1;
      return { ok: false, retryAfterMs: wait };
    }
    for (const k of keys) this.#tat.set(k.id, Math.max(this.#tat.get(k.id) ?? now, now) + k.interval);
    return { ok: true };
  }
}

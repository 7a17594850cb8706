/**
 * Degrade, don't crash: every Redis command runs under a short timeout; when Redis is unreachable or slow the
 * store falls back to this process's memory, warns once through the logger, keeps away from Redis for a moment
 * (so calls are not slowed down by a dead server), and goes back to Redis as soon as it answers again.
 */
import type { Logger, ScrmEvent } from '@scrm-openapi/core';

/** The one method of a node-redis client (v5+) the stores use: raw commands are stable across versions. */
export interface RedisCommander {
  sendCommand<T = unknown>(args: string[]): Promise<T>;
}

export interface RedisStoreOptions {
  /** Prefix for every key (default: none — keys are already namespaced `scrm:<vendor>:…`). */
  prefix?: string;
  /** Give up on a Redis command after this long and use memory instead. Default 500 ms. */
  commandTimeoutMs?: number;
  /** After a failure, use memory only for this long before trying Redis again. Default 1000 ms. */
  retryAfterMs?: number;
  /** Where the warning (degraded) and the recovery are logged. Nothing logged carries a secret. */
  logger?: Logger;
  /** Called on `store-degraded` and `store-recovered`. */
  onEvent?: (event: ScrmEvent) => void;
}

export class RedisGuard {
  readonly #client: RedisCommander;
  readonly #name: string;
  readonly #o: RedisStoreOptions;
  #degradedUntil = 0;
  #degraded = false;

  constructor(client: RedisCommander, name: string, options: RedisStoreOptions) {
    if (!client || typeof client.sendCommand !== 'function') {
      throw new TypeError(`${name}: pass a connected node-redis client (createClient() from the "redis" package)`);
    }
    this.#client = client;
    this.#name = name;
    this.#o = options;
  }

  /** True while the store is using memory because Redis failed. */
  get degraded(): boolean {
    return this.#degraded;
  }

  key(key: string): string {
    return `${this.#o.prefix ?? ''}${key}`;
  }

  /** Runs `args` on Redis, or `fallback` while Redis is failing. */
  async run<T>(args: string[], fallback: () => Promise<T> | T, map: (reply: unknown) => T): Promise<T> {
    if (this.#degraded && Date.now() < this.#degradedUntil) return fallback();
    try {
      const reply = await this.#withTimeout(this.#client.sendCommand(args));
      if (this.#degraded) {
        this.#degraded = false;
        this.#report({ type: 'store-recovered', vendor: 'redis', store: this.#name });
      }
      return map(reply);
    } catch (error) {
      this.#degradedUntil = Date.now() + (this.#o.retryAfterMs ?? 1000);
      if (!this.#degraded) {
        this.#degraded = true;
        const reason = error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 200) : 'unknown error';
        this.#report({ type: 'store-degraded', vendor: 'redis', store: this.#name, reason });
      }
      return fallback();
    }
  }

  #withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.#o.commandTimeoutMs ?? 500;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  #report(event: ScrmEvent): void {
    this.#o.onEvent?.(event);
    const logger = this.#o.logger;
    if (!logger) return;
    const { type, ...fields } = event;
    if (type === 'store-degraded') {
      logger.warn({ event: type, ...fields }, `scrm redis ${this.#name}: Redis unreachable or slow, using this process's memory`);
    } else {
      logger.info({ event: type, ...fields }, `scrm redis ${this.#name}: Redis answers again, shared state restored`);
    }
  }
}

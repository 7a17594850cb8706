// The degraded mode in detail, on a Redis of this file's own: a Redis that stops answering (CLIENT PAUSE) is given up
// on after the command timeout; a failing Redis is left alone for the back-off window; the warning and the recovery
// are reported exactly once each, with the fields a log pipeline relies on.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScrmEvent } from '@scrm-openapi/core';
import { createRedisDedupeStore, createRedisThrottleStore, createRedisTokenStore, type RedisCommander } from './index.js';
import { startRedisServer, type RedisServer } from './test-support/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

async function connect() {
  const client = createClient({ url: redis.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => {});
  await client.connect();
  return client;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const unique = (name: string) => `scrm:test:${name}:${Date.now()}-${Math.random().toString(36).slice(2)}`;
const token = (value: string) => ({ value, expiresAt: Date.now() + 60_000 });

/** A client that goes through to Redis and counts the commands the store sent it. */
function counting(client: RedisCommander) {
  const sent: string[] = [];
  return {
    sent,
    sendCommand<T>(args: string[]) {
      sent.push(args[0]!);
      return client.sendCommand<T>(args);
    },
  };
}

/** Everything reported: events through `onEvent`, and log lines (level, fields, message) through `logger`. */
function recorder() {
  const events: ScrmEvent[] = [];
  const logs: { level: string; fields: Record<string, unknown>; message: string | undefined }[] = [];
  const log = (level: string) => (fields: Record<string, unknown>, message?: string) => logs.push({ level, fields, message });
  return {
    events,
    logs,
    onEvent: (e: ScrmEvent) => events.push(e),
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  };
}

/**
 * Makes Redis stop answering every client for `ms` (commands wait, connections stay open); `answering`
 * settles once Redis answers again.
 */
async function pauseRedis(ms: number): Promise<{ answering: Promise<unknown> }> {
  const admin = await connect();
  const ends = Date.now() + ms;
  await admin.sendCommand(['CLIENT', 'PAUSE', String(ms), 'ALL']);
  admin.destroy();
  return { answering: sleep(ends - Date.now() + 100) };
}

describe('a Redis that stops answering', () => {
  it('is given up on after commandTimeoutMs: the call is served from memory and the reason names the timeout', async () => {
    const client = await connect();
    const seen = recorder();
    const tokens = createRedisTokenStore(client, { commandTimeoutMs: 150, retryAfterMs: 60_000, onEvent: seen.onEvent });
    const key = unique('timeout');
    // stored by another process: this one knows it only from Redis, and keeps a copy for when Redis is away
    const other = await connect();
    await createRedisTokenStore(other).set(key, token('token-1'));
    expect(await tokens.get(key)).toMatchObject({ value: 'token-1' });
    expect(tokens.degraded).toBe(false);

    const { answering } = await pauseRedis(1200);
    const started = Date.now();
    expect(await tokens.get(key)).toMatchObject({ value: 'token-1' });
    // before Redis answers again: the timeout, not the end of the pause, ended the call
    expect(Date.now() - started).toBeLessThan(1100);
    expect(tokens.degraded).toBe(true);
    expect(seen.events).toEqual([
      { type: 'store-degraded', vendor: 'redis', store: 'token store', reason: 'Error: Redis did not answer within 150 ms' },
    ]);
    await answering;
    await Promise.all([client.close(), other.close()]);
  }, 20_000);

  it('the command timeout is 500 ms unless configured', async () => {
    const client = await connect();
    const seen = recorder();
    const dedupe = createRedisDedupeStore(client, { retryAfterMs: 60_000, onEvent: seen.onEvent });
    const { answering } = await pauseRedis(1500);
    const started = Date.now();
    expect(await dedupe.checkAndSet(unique('default-timeout'), 60)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1400);
    expect(dedupe.degraded).toBe(true);
    expect(seen.events).toEqual([
      { type: 'store-degraded', vendor: 'redis', store: 'dedupe store', reason: 'Error: Redis did not answer within 500 ms' },
    ]);
    await answering;
    await client.close();
  }, 20_000);
});

describe('a Redis that fails', () => {
  it('is left alone for retryAfterMs: calls use memory without trying it, then the next call goes back to it', async () => {
    const client = await connect();
    const redisClient = counting(client);
    const seen = recorder();
    const tokens = createRedisTokenStore(redisClient, {
      commandTimeoutMs: 150,
      retryAfterMs: 3000,
      onEvent: seen.onEvent,
      logger: seen.logger,
    });
    const key = unique('backoff');
    await tokens.set(key, token('token-1'));
    await pauseRedis(500);
    expect(await tokens.get(key)).toMatchObject({ value: 'token-1' }); // times out: degraded
    const tried = redisClient.sent.length;
    await sleep(1200); // Redis answers again, but the window (3 s, not the default 1 s) is still open
    // another process stores a newer token meanwhile; this one does not see it yet: it keeps off Redis
    const otherClient = await connect();
    const other = createRedisTokenStore(otherClient, { commandTimeoutMs: 5000 });
    await other.set(key, token('token-2'));
    expect(await tokens.get(key)).toMatchObject({ value: 'token-1' });
    expect(await tokens.acquireLock!(key, 5000)).toBeTypeOf('function'); // the process's own single-flight only
    expect(redisClient.sent.length).toBe(tried);
    expect(tokens.degraded).toBe(true);

    await sleep(3000 - 1200 + 300);
    expect(await tokens.get(key)).toMatchObject({ value: 'token-2' });
    expect(redisClient.sent.length).toBe(tried + 1);
    expect(tokens.degraded).toBe(false);
    expect(seen.events.map((e) => e.type)).toEqual(['store-degraded', 'store-recovered']);
    expect(seen.events[1]).toEqual({ type: 'store-recovered', vendor: 'redis', store: 'token store' });
    // the lock is Redis's again
    const release = await tokens.acquireLock!(`${key}-2`, 5000);
    expect(await other.acquireLock!(`${key}-2`, 5000)).toBeNull();
    await release!();
    expect(await other.acquireLock!(`${key}-2`, 5000)).not.toBeNull();
    await Promise.all([client.close(), otherClient.close()]);
  }, 30_000);

  it('the back-off is 1 s unless configured', async () => {
    const client = await connect();
    const redisClient = counting(client);
    const throttle = createRedisThrottleStore(redisClient, { commandTimeoutMs: 150 });
    const key = unique('default-backoff');
    const limit = { limit: 10, intervalMs: 10_000, burst: 1 };
    await pauseRedis(400);
    const started = Date.now();
    expect(await throttle.reserve(key, limit, started)).toBe(0); // times out: memory
    const tried = redisClient.sent.length;
    await sleep(450);
    expect(await throttle.reserve(key, limit, started)).toBe(1000); // memory's budget, without asking Redis
    await throttle.penalize(key, started + 5000, limit, started);
    expect(await throttle.reserve(key, limit, started)).toBe(5000); // the penalty holds in memory too
    if (Date.now() - started < 900) expect(redisClient.sent.length).toBe(tried); // (unless this machine stalled)
    expect(throttle.degraded).toBe(true);
    await sleep(Math.max(0, started + 1300 - Date.now()));
    expect(await throttle.reserve(key, limit, Date.now())).toBe(0); // Redis again: its budget was never used
    expect(redisClient.sent.length).toBeGreaterThan(tried);
    expect(throttle.degraded).toBe(false);
    await client.close();
  }, 30_000);

  it('warns once and recovers once, however many calls fail or succeed, with the event fields in the log line', async () => {
    const client = await connect();
    const seen = recorder();
    const dedupe = createRedisDedupeStore(client, { retryAfterMs: 0, logger: seen.logger, onEvent: seen.onEvent });
    expect(dedupe.degraded).toBe(false);
    expect(await dedupe.checkAndSet(unique('a'), 60)).toBe(true);
    expect(seen.logs).toEqual([]);
    await redis.stop();
    try {
      for (let i = 0; i < 5; i++) expect(await dedupe.checkAndSet(unique('b'), 60)).toBe(true);
      expect(dedupe.degraded).toBe(true);
    } finally {
      await redis.start();
    }
    const deadline = Date.now() + 10_000;
    while (dedupe.degraded && Date.now() < deadline) {
      await dedupe.checkAndSet(unique('c'), 60);
      await sleep(50);
    }
    for (let i = 0; i < 5; i++) await dedupe.checkAndSet(unique('d'), 60);
    expect(dedupe.degraded).toBe(false);

    expect(seen.events.map((e) => e.type)).toEqual(['store-degraded', 'store-recovered']);
    expect(seen.logs.map((l) => l.level)).toEqual(['warn', 'info']);
    const [warn, info] = seen.logs;
    expect(warn!.fields).toEqual({ event: 'store-degraded', vendor: 'redis', store: 'dedupe store', reason: expect.any(String) });
    expect(warn!.fields.reason).not.toBe('');
    expect(warn!.message).toBe("scrm redis dedupe store: Redis unreachable or slow, using this process's memory");
    expect(info!.fields).toEqual({ event: 'store-recovered', vendor: 'redis', store: 'dedupe store' });
    expect(info!.message).toBe('scrm redis dedupe store: Redis answers again, shared state restored');
    await client.close();
  }, 30_000);

  it('a reason is capped at 200 characters (an error may carry a whole command)', async () => {
    const seen = recorder();
    const failing: RedisCommander = { sendCommand: () => Promise.reject(new TypeError('x'.repeat(500))) };
    const throttle = createRedisThrottleStore(failing, { onEvent: seen.onEvent });
    expect(await throttle.reserve('scrm:test:throttle:k', { limit: 1, intervalMs: 1000 }, Date.now())).toBe(0);
    expect(seen.events).toEqual([
      { type: 'store-degraded', vendor: 'redis', store: 'throttle store', reason: `TypeError: ${'x'.repeat(189)}` },
    ]);
    expect(throttle.degraded).toBe(true);
  });

  it('a thrown non-Error still degrades, with a generic reason', async () => {
    const seen = recorder();
    const failing: RedisCommander = { sendCommand: () => Promise.reject('no') };
    const tokens = createRedisTokenStore(failing, { onEvent: seen.onEvent });
    expect(await tokens.get('scrm:test:token:k')).toBeUndefined();
    expect(seen.events).toEqual([{ type: 'store-degraded', vendor: 'redis', store: 'token store', reason: 'unknown error' }]);
  });
});

describe('creating a store', () => {
  it('refuses something that is not a node-redis client, naming the store', () => {
    const message = (name: string) => `${name}: pass a connected node-redis client (createClient() from the "redis" package)`;
    expect(() => createRedisTokenStore(undefined as unknown as RedisCommander)).toThrow(new TypeError(message('token store')));
    expect(() => createRedisDedupeStore({} as RedisCommander)).toThrow(new TypeError(message('dedupe store')));
    expect(() => createRedisThrottleStore({ sendCommand: 'no' } as unknown as RedisCommander)).toThrow(TypeError);
  });
});

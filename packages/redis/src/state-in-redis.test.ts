// What the stores leave in Redis, read back with a separate connection: key names (with the prefix option), values
// and expiries, and that each step really ran on Redis (a store that silently used memory would still answer).
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisDedupeStore, createRedisThrottleStore, createRedisTokenStore } from './index.js';
import { startRedisServer, type RedisServer } from './test-support/redis-server.js';

let redis: RedisServer;
let direct: Awaited<ReturnType<typeof connect>>;
let store: Awaited<ReturnType<typeof connect>>;
beforeAll(async () => {
  redis = await startRedisServer();
  [direct, store] = await Promise.all([connect(), connect()]);
}, 30_000);
afterAll(async () => {
  await Promise.all([direct?.close(), store?.close()]);
  await redis?.stop();
});

async function connect() {
  const client = createClient({ url: redis.url, disableOfflineQueue: true });
  client.on('error', () => {});
  await client.connect();
  return client;
}

const unique = (name: string) => `scrm:test:${name}:${Date.now()}-${Math.random().toString(36).slice(2)}`;
// generous: these tests are about what lands in Redis, not about the timeout (the machine may be loaded)
const options = { commandTimeoutMs: 5000 };
const get = (key: string) => direct.sendCommand(['GET', key]) as Promise<string | null>;
const pttl = async (key: string) => Number(await direct.sendCommand(['PTTL', key]));

describe('the token store in Redis', () => {
  it('stores the token as JSON under the prefixed key, expiring with the token', async () => {
    const tokens = createRedisTokenStore(store, { ...options, prefix: 'app1:' });
    const key = unique('token');
    const token = { value: 'token-a', expiresAt: Date.now() + 60_000 };
    await tokens.set(key, token);
    expect(await get(key)).toBeNull();
    expect(JSON.parse((await get(`app1:${key}`))!)).toEqual(token);
    const ttl = await pttl(`app1:${key}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(tokens.degraded).toBe(false);
  });

  it('an already expired token is kept for at most a millisecond, not forever', async () => {
    const tokens = createRedisTokenStore(store, options);
    const key = unique('token-expired');
    await tokens.set(key, { value: 'token-old', expiresAt: Date.now() - 10_000 });
    expect(await pttl(key)).toBeLessThanOrEqual(1);
  });

  it('reads a token another process stored, and ignores values that are not whole tokens', async () => {
    const tokens = createRedisTokenStore(store, options);
    const key = unique('token-read');
    const token = { value: 'token-b', expiresAt: Date.now() + 60_000 };
    await direct.sendCommand(['SET', key, JSON.stringify(token)]);
    expect(await tokens.get(key)).toEqual(token);
    for (const partial of ['{"value":"token-c"}', '{"expiresAt":123}', '{"value":1,"expiresAt":123}', 'null']) {
      await direct.sendCommand(['SET', key, partial]);
      expect(await tokens.get(key)).toBeUndefined();
    }
    expect(tokens.degraded).toBe(false);
  });

  it('deletes the token: unconditionally, or only while it still holds the value being dropped', async () => {
    const tokens = createRedisTokenStore(store, { ...options, prefix: 'app2:' });
    const key = unique('token-delete');
    const token = (value: string) => ({ value, expiresAt: Date.now() + 60_000 });

    await tokens.set(key, token('token-1'));
    await tokens.delete(key);
    expect(await get(`app2:${key}`)).toBeNull();

    await tokens.set(key, token('token-2'));
    await tokens.delete(key, 'token-1'); // an older value: the newer token stays
    expect(JSON.parse((await get(`app2:${key}`))!).value).toBe('token-2');
    await tokens.delete(key, 'token-2');
    expect(await get(`app2:${key}`)).toBeNull();
    expect(tokens.degraded).toBe(false);
  });

  it('takes the refresh lock as its own key with the given TTL, refuses it while held, and release removes it', async () => {
    const tokens = createRedisTokenStore(store, { ...options, prefix: 'app3:' });
    const key = unique('token-lock');
    const release = await tokens.acquireLock!(key, 8000);
    expect(release).toBeTypeOf('function');
    expect(await get(`app3:${key}:lock`)).toMatch(/^[0-9a-f-]{36}$/);
    const ttl = await pttl(`app3:${key}:lock`);
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(8000);
    expect(await tokens.acquireLock!(key, 8000)).toBeNull();
    await release!();
    expect(await get(`app3:${key}:lock`)).toBeNull();
    expect(tokens.degraded).toBe(false);
  });
});

describe('the dedupe store in Redis', () => {
  it('marks a delivery under the prefixed key for the given number of seconds', async () => {
    const dedupe = createRedisDedupeStore(store, { ...options, prefix: 'app4:' });
    const key = unique('callback');
    expect(await dedupe.checkAndSet(key, 30)).toBe(true);
    expect(await get(`app4:${key}`)).toBe('1');
    const ttl = await pttl(`app4:${key}`);
    expect(ttl).toBeGreaterThan(20_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(await dedupe.checkAndSet(key, 30)).toBe(false);
    expect(dedupe.degraded).toBe(false);
  });
});

describe('the throttle store in Redis', () => {
  // 10 per 10 s with a burst of 2: one every 1000 ms, two at once
  const limit = { limit: 10, intervalMs: 10_000, burst: 2 };

  it('keeps the next arrival time under the prefixed key, with an expiry, and spaces reservations by it', async () => {
    const throttle = createRedisThrottleStore(store, { ...options, prefix: 'app5:' });
    const key = unique('throttle');
    const now = Date.now();
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await throttle.reserve(key, limit, now));
    expect(waits).toEqual([0, 0, 1000, 2000]);
    // four reservations one interval apart from `now`
    expect(Number(await get(`app5:${key}`))).toBe(now + 4000);
    const ttl = await pttl(`app5:${key}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(4000 + 1000 + 1000 + 1000);
    expect(throttle.degraded).toBe(false);
  });

  it('a penalty (the vendor said "too many requests") pushes the next reservation to its end, for every process', async () => {
    const mine = createRedisThrottleStore(store, options);
    const key = unique('throttle-penalty');
    const now = Date.now();
    await mine.penalize(key, now + 5000, limit, now);
    // the arrival time that leaves no burst before the end of the penalty
    expect(Number(await get(key))).toBe(now + 5000 + 1000);
    const ttl = await pttl(key);
    expect(ttl).toBeGreaterThan(3000);
    expect(ttl).toBeLessThanOrEqual(5000 + 1000 + 1000);
    // an earlier penalty never shortens it
    await mine.penalize(key, now + 1000, limit, now);
    expect(Number(await get(key))).toBe(now + 6000);
    // another process (own connection and store) waits for it too
    const theirs = createRedisThrottleStore(direct, options);
    expect(await theirs.reserve(key, limit, now)).toBe(5000);
    expect(mine.degraded).toBe(false);
    expect(theirs.degraded).toBe(false);
  });
});

import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecomClient } from '@scrm-openapi/wecom';
import { createRedisDedupeStore, createRedisTokenStore } from './index.js';
import { startFakeWecom, type FakeVendor } from './test-support/fake-vendor.js';
import { startRedisServer, type RedisServer } from './test-support/redis-server.js';

const run = promisify(execFile);
const worker = fileURLToPath(new URL('./test-support/worker.mjs', import.meta.url));
const spawnWorker = async (...args: string[]) => JSON.parse((await run(process.execPath, [worker, ...args], { timeout: 60_000 })).stdout);

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
}, 20_000);
afterAll(async () => {
  await redis?.stop();
});

async function connect() {
  const client = createClient({ url: redis.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
  client.on('error', () => {});
  await client.connect();
  return client;
}

describe('Redis token store across processes', () => {
  let vendor: FakeVendor;
  beforeAll(async () => {
    vendor = await startFakeWecom();
  });
  afterAll(() => vendor.close());

  it('4 processes × 250 concurrent cold calls fetch exactly one token', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => spawnWorker('token', redis.url, vendor.url, '250')));
    expect(results.map((r) => r.failed)).toEqual([0, 0, 0, 0]);
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(1000);
    expect(vendor.counts.token).toBe(1);
    expect(vendor.counts.business).toBe(1000);
  }, 60_000);

  it('keeps keys namespaced per vendor and credential, without the secret', async () => {
    const client = await connect();
    const keys = (await client.sendCommand(['KEYS', 'scrm:*'])) as string[];
    await client.close();
    expect(keys.some((k) => k.startsWith('scrm:wecom:token:ww-multi-process:'))).toBe(true);
    expect(keys.join(' ')).not.toContain('multi-process-SECRET-0001');
  });
});

describe('when Redis goes away', () => {
  it('keeps calls succeeding from memory, warns, and shares again once Redis is back', async () => {
    const vendor = await startFakeWecom();
    const client = await connect();
    const warnings: string[] = [];
    const infos: string[] = [];
    const logger = {
      debug: () => {},
      info: (_o: Record<string, unknown>, m?: string) => infos.push(m ?? ''),
      warn: (_o: Record<string, unknown>, m?: string) => warnings.push(m ?? ''),
      error: () => {},
    };
    const store = createRedisTokenStore(client, { logger, retryAfterMs: 100 });
    const wecom = createWecomClient({ corpId: 'ww-outage', corpSecret: 'outage-SECRET-0001', baseUrl: vendor.url, tokenStore: store, throttle: false });
    let failed = 0;
    const call = () => wecom.GET('/cgi-bin/externalcontact/get_follow_user_list').then((r) => (r.data ? 0 : 1), () => 1);

    for (let i = 0; i < 20; i++) failed += await call();
    await redis.stop();
    // WeCom expires the token early while Redis is down: the client must refresh through the store
    vendor.expireCurrentToken();
    for (let i = 0; i < 50; i++) failed += await call();
    expect(store.degraded).toBe(true);
    expect(warnings.some((w) => /Redis unreachable or slow/.test(w))).toBe(true);
    expect(vendor.counts.token).toBe(2);

    await redis.start();
    // node-redis reconnects by itself; the next time the store needs Redis it goes back to it
    const deadline = Date.now() + 10_000;
    while (store.degraded && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      vendor.expireCurrentToken();
      failed += await call();
    }
    for (let i = 0; i < 20; i++) failed += await call();
    expect(failed).toBe(0);
    expect(store.degraded).toBe(false);
    expect(infos.some((m) => /Redis answers again/.test(m))).toBe(true);

    // shared again: a second "process" (its own connection and store) sees the token in Redis
    const other = await connect();
    const key = ((await other.sendCommand(['KEYS', 'scrm:wecom:token:ww-outage:*'])) as string[]).find((k) => !k.endsWith(':lock'));
    expect(key).toBeDefined();
    expect(await createRedisTokenStore(other).get(key!)).toMatchObject({ value: expect.stringMatching(/^token-/) });
    await other.close();
    await client.close();
    await vendor.close();
  }, 60_000);

  it('a dedupe store degrades to memory too', async () => {
    const client = await connect();
    const store = createRedisDedupeStore(client, { retryAfterMs: 100 });
    expect(await store.checkAndSet('scrm:test:callback:x', 60)).toBe(true);
    await redis.stop();
    expect(await store.checkAndSet('scrm:test:callback:y', 60)).toBe(true);
    expect(await store.checkAndSet('scrm:test:callback:y', 60)).toBe(false);
    expect(await store.checkAndSet('scrm:test:callback:x', 60)).toBe(false);
    await redis.start();
    await client.close();
  }, 30_000);
});

describe('Redis dedupe across processes', () => {
  it('lets only the first of two processes accept a delivery', async () => {
    const key = `scrm:wecom:callback:evt:${Date.now()}`;
    const [a, b] = await Promise.all([spawnWorker('dedupe', redis.url, key), spawnWorker('dedupe', redis.url, key)]);
    expect([a.fresh, b.fresh].sort()).toEqual([false, true]);
  }, 30_000);
});

describe('Redis-shared throttle', () => {
  it('holds a configured rate within 10% over a 5-second window, across two processes', async () => {
    const vendor = await startFakeWecom();
    const rate = 20;
    await Promise.all([spawnWorker('throttle', redis.url, vendor.url, String(rate), '7000'), spawnWorker('throttle', redis.url, vendor.url, String(rate), '7000')]);
    // the steady state: arrivals in the 5 s that start one second after the first request arrived. Anchored to the
    // first arrival, not to when the test started: on a loaded CI machine a worker can take over a second to boot.
    expect(vendor.arrivals.length).toBeGreaterThan(0);
    const from = Math.min(...vendor.arrivals) + 1000;
    const inWindow = vendor.arrivals.filter((t) => t >= from && t < from + 5000).length;
    const expected = rate * 5;
    console.log(`throttle: ${inWindow} requests in 5 s at ${rate}/s shared by 2 processes (expected ${expected})`);
    expect(inWindow).toBeGreaterThanOrEqual(expected * 0.9);
    expect(inWindow).toBeLessThanOrEqual(expected * 1.1);
    await vendor.close();
  }, 30_000);
});

import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWecomClient } from '@scrm-openapi/wecom';
import { createRedisAuthorizationStore, createRedisDedupeStore, createRedisTicketStore, createRedisTokenStore } from './index.js';
import { startFakeWecom, startFakeWecomProvider } from './test-support/fake-vendor.js';
import { startRedisServer, type RedisServer } from './test-support/redis-server.js';
import { startWorker, until, type Worker } from './test-support/workers.js';

// The worker processes boot once (a node process with the built packages takes seconds on a loaded machine) and
// serve every multi-process test; each test prepares its own clients in them, with fresh Redis connections.
let redis: RedisServer;
let workers: Worker[] = [];
beforeAll(async () => {
  [redis, ...workers] = await Promise.all([startRedisServer(), startWorker(), startWorker(), startWorker(), startWorker()]);
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
});

/** `n` live workers (the crash test kills one). */
function processes(n: number): Worker[] {
  const alive = workers.filter((w) => w.alive);
  if (alive.length < n) throw new Error(`need ${n} live workers, have ${alive.length}`);
  return alive.slice(0, n);
}

async function connect() {
  const client = createClient({ url: redis.url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
  client.on('error', () => {});
  await client.connect();
  return client;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Watches the workers' lock attempts: `first` holds each one's first result ('acquired' or 'taken'), and `all`
 * resolves once every worker has tried the lock at least once, i.e. every process is inside its refresh.
 */
function watchLocks(procs: Worker[]) {
  const first = new Map<Worker, string>();
  let resolve!: () => void;
  const all = new Promise<void>((r) => (resolve = r));
  for (const w of procs) {
    w.onEvent = (e) => {
      if (e.event !== 'lock' || first.has(w)) return;
      first.set(w, String(e.result));
      if (first.size === procs.length) resolve();
    };
  }
  return { first, all, firstResults: () => procs.map((w) => first.get(w)).sort() };
}

// before the crash test below, which leaves three live workers
describe('a WeCom provider across processes (服务商: one suite, many corps)', () => {
  it('4 processes × 50 corps × cold concurrent calls fetch exactly one suite token and one token per corp, never mixing corps', async () => {
    const procs = processes(4);
    const suite = { suiteId: 'wwsuite-multi', suiteSecret: 'suite-multi-SECRET-0001' };
    const vendor = await startFakeWecomProvider({ tokenDelayMs: 300, suiteTicket: 'TICKET-multi-0001' });
    // the process that receives the 指令回调 keeps the pushed ticket in Redis, for whichever process fetches the suite token
    const client = await connect();
    await createRedisTicketStore(client).set(suite.suiteId, { value: 'TICKET-multi-0001', expiresAt: Date.now() + 30 * 60_000 });
    const corps = Array.from({ length: 50 }, (_, i) => `wwcorp${String(i).padStart(2, '0')}`);
    await Promise.all(procs.map((w) => w.send('prepare-provider', { redisUrl: redis.url, vendorUrl: vendor.url, ...suite, corps })));
    const results = await Promise.all(
      procs.map((w) =>
        w.send<{ ok: number; wrong: number; errorCount: number; errors: string[]; fetches: { suite: number; corp: number } }>(
          'run-provider',
          { callsPerCorp: 5 },
          60_000,
        ),
      ),
    );
    expect(results.map((r) => r.errors)).toEqual([[], [], [], []]);
    expect(results.map((r) => r.ok)).toEqual([250, 250, 250, 250]);
    expect(vendor.counts.mismatched).toBe(0);
    expect(vendor.counts.business).toBe(1000);
    expect(vendor.counts.suite).toBe(1);
    expect([...vendor.counts.corp.values()]).toEqual(corps.map(() => 1));
    expect(vendor.counts.corp.size).toBe(50);
    // the processes' own counts agree with the vendor's
    expect(results.reduce((n, r) => n + r.fetches.suite, 0)).toBe(1);
    expect(results.reduce((n, r) => n + r.fetches.corp, 0)).toBe(50);
    // every token key names the suite, the corp and the kind; no secret, ticket or permanent code in any key
    const keys = (await client.sendCommand(['KEYS', 'scrm:wecom:token:*'])) as string[];
    for (const corp of corps)
      expect(
        keys.some((k) => k.startsWith(`scrm:wecom:token:suite-corp:wwsuite-multi:${corp}:`)),
        corp,
      ).toBe(true);
    expect(keys.some((k) => k.startsWith('scrm:wecom:token:suite:wwsuite-multi:-:'))).toBe(true);
    expect(keys.join(' ')).not.toMatch(/SECRET|TICKET|PERMANENT/);
    await client.close();
    await vendor.close();
  }, 120_000);

  it('keeps permanent codes and tickets per suite and corp', async () => {
    const client = await connect();
    const codes = createRedisAuthorizationStore(client);
    await codes.set('suite-a', 'corp-1', { permanentCode: 'P-a-1', savedAt: 1 });
    await codes.set('suite-b', 'corp-1', { permanentCode: 'P-b-1', savedAt: 2 });
    expect((await codes.get('suite-a', 'corp-1'))?.permanentCode).toBe('P-a-1');
    expect((await codes.get('suite-b', 'corp-1'))?.permanentCode).toBe('P-b-1');
    await codes.delete('suite-a', 'corp-1');
    expect(await codes.get('suite-a', 'corp-1')).toBeUndefined();
    expect((await codes.get('suite-b', 'corp-1'))?.permanentCode).toBe('P-b-1');
    const tickets = createRedisTicketStore(client);
    await tickets.set('suite-a', { value: 'T-1', expiresAt: Date.now() + 200 });
    expect((await createRedisTicketStore(client).get('suite-a'))?.value).toBe('T-1');
    await sleep(400);
    // Redis forgets an expired ticket (a fresh store in another process finds none)
    expect(await createRedisTicketStore(client).get('suite-a')).toBeUndefined();
    await client.close();
  });
});

describe('Redis token store across processes', () => {
  it('4 processes × 50 concurrent cold calls, refreshing at the same time through a slow endpoint, fetch exactly one token and all use it', async () => {
    const procs = processes(4);
    const locks = watchLocks(procs);
    // gettoken answers after 400 ms and, more to the point, only once all four processes have tried the lock: the
    // refreshes overlap on any machine, however slowly the workers run (15 s cap, so a broken test cannot hang)
    const vendor = await startFakeWecom({ tokenDelayMs: 400, holdToken: () => Promise.race([locks.all, sleep(15_000)]) });
    const client = { redisUrl: redis.url, vendorUrl: vendor.url, corpId: 'ww-multi-process', corpSecret: 'multi-process-SECRET-0001' };
    await Promise.all(procs.map((w) => w.send('prepare-token', client)));
    const results = await Promise.all(
      procs.map((w) => w.send<{ ok: number; failed: number; tokens: string[] }>('run-token', { calls: 50 })),
    );

    expect(results.map((r) => r.failed)).toEqual([0, 0, 0, 0]);
    expect(results.reduce((n, r) => n + r.ok, 0)).toBe(200);
    // they did overlap: one took the lock, the three others found it taken and waited
    expect(locks.firstResults()).toEqual(['acquired', 'taken', 'taken', 'taken']);
    expect(vendor.counts.token).toBe(1);
    expect(results.map((r) => r.tokens)).toEqual([['token-1'], ['token-1'], ['token-1'], ['token-1']]);
    expect(vendor.counts.business).toBe(200);
    await vendor.close();
  }, 60_000);

  it('keeps keys namespaced per vendor and credential, without the secret', async () => {
    const client = await connect();
    const keys = (await client.sendCommand(['KEYS', 'scrm:*'])) as string[];
    await client.close();
    expect(keys.some((k) => k.startsWith('scrm:wecom:token:ww-multi-process:'))).toBe(true);
    expect(keys.join(' ')).not.toContain('multi-process-SECRET-0001');
  });

  it('a process that dies while refreshing leaves a lock that expires; exactly one other process then refreshes and nobody waits forever', async () => {
    const procs = processes(3);
    const locks = watchLocks(procs);
    // the first gettoken never answers: its process is killed while it holds the lock
    const vendor = await startFakeWecom({ tokenDelayMs: 400, holdToken: (n) => (n === 1 ? new Promise(() => {}) : undefined) });
    const client = { redisUrl: redis.url, vendorUrl: vendor.url, corpId: 'ww-crash', corpSecret: 'crash-SECRET-0001' };
    await Promise.all(procs.map((w) => w.send('prepare-token', client)));
    const started = Date.now();
    const runs = procs.map((w) =>
      w.send<{ ok: number; failed: number; tokens: string[] }>('run-token', { calls: 20 }, 40_000).then(
        (result) => ({ worker: w, result }),
        (error: Error) => ({ worker: w, error }),
      ),
    );
    await until(() => vendor.counts.token >= 1 && locks.first.size === 3, 'one process fetching while the others wait for it');
    const holder = procs.find((w) => locks.first.get(w) === 'acquired');
    expect(locks.firstResults()).toEqual(['acquired', 'taken', 'taken']);
    await holder!.kill();

    const others = (await Promise.all(runs)).filter((r) => r.worker !== holder);
    // the dead process's request and exactly one more, which every survivor then used
    expect(vendor.counts.token).toBe(2);
    for (const r of others) {
      expect('result' in r ? r.result : r.error).toEqual({ ok: 20, failed: 0, tokens: ['token-2'] });
    }
    // and that one only once the dead holder's lock (the token manager's default 5 s) had expired: nobody ignored it
    expect(vendor.tokenArrivals[1]).toBeGreaterThanOrEqual(started + 5000);
    await vendor.close();
  }, 60_000);
});

describe('the refresh lock and the conditional delete', () => {
  const uniqueKey = (name: string) => `scrm:test:token:${name}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

  it('admits exactly one of several contenders (own connections), and the next one only after release', async () => {
    const clients = await Promise.all(Array.from({ length: 6 }, () => connect()));
    const stores = clients.map((c) => createRedisTokenStore(c));
    const key = uniqueKey('lock');
    const got = await Promise.all(stores.map((s) => s.acquireLock!(key, 10_000)));
    expect(got.filter((r) => r !== null)).toHaveLength(1);
    expect(stores.some((s) => s.degraded)).toBe(false);
    // held with a TTL, so a crashed holder cannot keep it
    const ttl = Number(await clients[0]!.sendCommand(['PTTL', `${key}:lock`]));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10_000);
    expect(await Promise.all(stores.map((s) => s.acquireLock!(key, 10_000)))).toEqual(stores.map(() => null));

    await got.find((r) => r !== null)!();
    const next = await Promise.all(stores.map((s) => s.acquireLock!(key, 10_000)));
    expect(next.filter((r) => r !== null)).toHaveLength(1);
    await Promise.all(clients.map((c) => c.close()));
  });

  it('admits exactly one of two processes', async () => {
    const key = uniqueKey('lock-processes');
    const results = await Promise.all(
      processes(2).map((w) => w.send<{ acquired: boolean }>('hold-lock', { redisUrl: redis.url, key, ttlMs: 10_000 })),
    );
    expect(results.map((r) => r.acquired).sort()).toEqual([false, true]);
  });

  it('expires a lock that is never released, so another contender gets it', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    const key = uniqueKey('lock-expiry');
    expect(await createRedisTokenStore(a).acquireLock!(key, 1000)).not.toBeNull(); // and never released
    const other = createRedisTokenStore(b);
    expect(await other.acquireLock!(key, 10_000)).toBeNull();
    let release: (() => Promise<void>) | null = null;
    const deadline = Date.now() + 10_000;
    while (!(release = await other.acquireLock!(key, 10_000)) && Date.now() < deadline) await sleep(50);
    expect(release).not.toBeNull();
    await Promise.all([a.close(), b.close()]);
  });

  it('invalidating an old token never deletes the newer token another process stored', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    const mine = createRedisTokenStore(a);
    const theirs = createRedisTokenStore(b);
    const key = uniqueKey('cas');
    const token = (value: string) => ({ value, expiresAt: Date.now() + 60_000 });
    await mine.set(key, token('old'));
    await theirs.set(key, token('new')); // another process refreshed meanwhile
    await mine.delete(key, 'old'); // this one saw 'old' refused
    expect((await theirs.get(key))?.value).toBe('new');
    expect((await mine.get(key))?.value).toBe('new');
    await mine.delete(key, 'new');
    expect(await theirs.get(key)).toBeUndefined();
    await Promise.all([a.close(), b.close()]);
  });

  it('invalidating over a value that is not a token leaves it alone and does not mistake it for Redis being down', async () => {
    const client = await connect();
    const events: string[] = [];
    const store = createRedisTokenStore(client, { onEvent: (e) => events.push(e.type) });
    for (const foreign of ['not json', '42', '"a string"', '{"value":7}']) {
      const key = uniqueKey('foreign');
      await client.sendCommand(['SET', key, foreign]);
      await store.delete(key, 'token-1');
      expect(await client.sendCommand(['GET', key])).toBe(foreign);
      expect(await store.get(key)).toBeUndefined();
    }
    expect(store.degraded).toBe(false);
    expect(events).toEqual([]);
    await client.close();
  });

  it('a call refused with an old token picks up the newer token another process stored, without fetching one', async () => {
    const vendor = await startFakeWecom();
    const [a, b] = await Promise.all([connect(), connect()]);
    const wecom = createWecomClient({
      corpId: 'ww-cas',
      corpSecret: 'cas-SECRET-0001',
      baseUrl: vendor.url,
      tokenStore: createRedisTokenStore(a),
      throttle: false,
    });
    const call = () => wecom.GET('/cgi-bin/externalcontact/get_follow_user_list');
    expect((await call()).data).toBeDefined();
    expect(vendor.counts.token).toBe(1);
    const key = ((await b.sendCommand(['KEYS', 'scrm:wecom:token:ww-cas:*'])) as string[]).find((k) => !k.endsWith(':lock'))!;
    // another process refreshed: token-1 is refused from now on, the store holds its successor
    await createRedisTokenStore(b).set(key, { value: 'token-from-elsewhere', expiresAt: Date.now() + 7_200_000 });
    vendor.rejectToken('token-1');

    expect((await call()).data).toBeDefined();
    expect(vendor.counts.token).toBe(1);
    expect((await createRedisTokenStore(b).get(key))?.value).toBe('token-from-elsewhere');
    await Promise.all([a.close(), b.close()]);
    await vendor.close();
  });

  it('releasing a lock that has expired does not release the lock another process took since', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    const mine = createRedisTokenStore(a);
    const theirs = createRedisTokenStore(b);
    const key = uniqueKey('release');
    const late = await mine.acquireLock!(key, 200);
    expect(late).not.toBeNull();
    let theirsRelease: (() => Promise<void>) | null = null;
    const deadline = Date.now() + 10_000;
    while (!(theirsRelease = await theirs.acquireLock!(key, 10_000)) && Date.now() < deadline) await sleep(50);
    expect(theirsRelease).not.toBeNull();
    await late!(); // the first holder finishes after its lock expired
    expect(await mine.acquireLock!(key, 10_000)).toBeNull(); // still theirs
    await theirsRelease!();
    expect(await mine.acquireLock!(key, 10_000)).not.toBeNull();
    await Promise.all([a.close(), b.close()]);
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
    const wecom = createWecomClient({
      corpId: 'ww-outage',
      corpSecret: 'outage-SECRET-0001',
      baseUrl: vendor.url,
      tokenStore: store,
      throttle: false,
    });
    let failed = 0;
    const call = () =>
      wecom.GET('/cgi-bin/externalcontact/get_follow_user_list').then(
        (r) => (r.data ? 0 : 1),
        () => 1,
      );

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
    const results = await Promise.all(processes(2).map((w) => w.send<{ fresh: boolean }>('dedupe', { redisUrl: redis.url, key })));
    expect(results.map((r) => r.fresh).sort()).toEqual([false, true]);
  });
});

interface Reservation {
  now: number;
  wait: number;
}

describe('Redis-shared throttle', () => {
  it('holds a configured rate within 10% over a 5-second window, across two processes', async () => {
    const vendor = await startFakeWecom();
    const rate = 20;
    const procs = processes(2);
    await Promise.all(
      procs.map((w) =>
        w.send('prepare-throttle', {
          redisUrl: redis.url,
          vendorUrl: vendor.url,
          corpId: 'ww-throttle',
          limit: rate,
          intervalMs: 1000,
          burst: 1,
          warm: true,
        }),
      ),
    );
    vendor.arrivals.length = 0; // the token warm-up is not part of what is measured
    await Promise.all(procs.map((w) => w.send('flood-throttle', { durationMs: 7000 })));
    // the steady state: arrivals in the 5 s that start one second after the first request arrived. Anchored to the
    // first arrival, not to when the test started: on a loaded CI machine a process can be slow to get going.
    expect(vendor.arrivals.length).toBeGreaterThan(0);
    const from = Math.min(...vendor.arrivals) + 1000;
    const inWindow = vendor.arrivals.filter((t) => t >= from && t < from + 5000).length;
    const expected = rate * 5;
    console.log(`throttle: ${inWindow} requests in 5 s at ${rate}/s shared by 2 processes (expected ${expected})`);
    expect(inWindow).toBeGreaterThanOrEqual(expected * 0.9);
    expect(inWindow).toBeLessThanOrEqual(expected * 1.1);
    await vendor.close();
  }, 30_000);

  it('a burst of 4 lets exactly 4 reservations of 3 processes through at once and spaces the other 8 one interval apart', async () => {
    // 10 per 10 s: one every 1000 ms, 4 at once. All reservations are made at the same instant `now`, so the
    // answer does not depend on how fast the processes run: only on the read-and-update being one atomic step.
    const limit = { limit: 10, intervalMs: 10_000, burst: 4 };
    const key = `scrm:test:throttle:burst-${Date.now()}`;
    const now = Date.now();
    const results = await Promise.all(
      processes(3).map((w) =>
        w.send<{ waits: number[]; degraded: boolean }>('reserve', { redisUrl: redis.url, key, limit, count: 4, now }),
      ),
    );
    expect(results.map((r) => r.degraded)).toEqual([false, false, false]);
    expect(results.flatMap((r) => r.waits).sort((a, b) => a - b)).toEqual([0, 0, 0, 0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]);
  });

  it('through the clients: two processes sending 5 calls at once under a burst of 3 get 3 through at once and the other 2 spaced', async () => {
    const vendor = await startFakeWecom();
    const procs = processes(2);
    // one call every 1500 ms, 3 at once: generous, so that a slow process still asks well within the first interval
    const interval = 1500;
    await Promise.all(
      procs.map((w) =>
        w.send('prepare-throttle', {
          redisUrl: redis.url,
          vendorUrl: vendor.url,
          corpId: 'ww-burst',
          limit: 1,
          intervalMs: interval,
          burst: 3,
          warm: true,
        }),
      ),
    );
    vendor.arrivals.length = 0;
    const results = await Promise.all(
      procs.map((w, i) => w.send<{ ok: number; reservations: Reservation[] }>('run-throttle', { calls: i === 0 ? 3 : 2 })),
    );
    expect(results.map((r) => r.ok)).toEqual([3, 2]);
    const reservations = results.flatMap((r) => r.reservations);
    expect(reservations).toHaveLength(5);
    // A reservation's slot is `now + wait`. `now` is read before the command reaches Redis, so on a busy machine a
    // burst reservation can be told to wait a little (until the instant the burst started); so classify by slot, not
    // by wait: the burst's slots are no later than the latest `now`, the others at least one interval after the first.
    const firstAsked = Math.min(...reservations.map((r) => r.now));
    const lastAsked = Math.max(...reservations.map((r) => r.now));
    expect(lastAsked - firstAsked).toBeLessThan(interval / 2); // else the test itself could not tell them apart
    const slots = reservations.map((r) => r.now + r.wait).sort((a, b) => a - b);
    expect(slots.filter((s) => s <= lastAsked)).toHaveLength(3);
    const spaced = slots.filter((s) => s > lastAsked);
    expect(spaced).toHaveLength(2);
    expect(spaced[0]).toBeGreaterThanOrEqual(firstAsked + interval);
    expect(spaced[1]! - spaced[0]!).toBeGreaterThanOrEqual(interval - 1);
    // and the vendor saw them no earlier: any 4 of the 5 requests include a spaced one
    const arrivals = [...vendor.arrivals].sort((a, b) => a - b);
    expect(arrivals).toHaveLength(5);
    expect(arrivals[3]).toBeGreaterThanOrEqual(firstAsked + interval - 1);
    expect(arrivals[4]).toBeGreaterThanOrEqual(firstAsked + 2 * interval - 2);
    await vendor.close();
  }, 30_000);
});

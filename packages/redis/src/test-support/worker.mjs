// A separate process for the multi-process tests, driven over stdin/stdout so that one boot serves many tests and
// several workers can be started together (the test sends `prepare-*` to all of them, then `run` to all at once).
// It uses the built packages, as an app would. One JSON object per line:
//   in:  { id, cmd, ...args }
//   out: { id, result } | { id, error }   — the answer to a command
//        { event, ...fields }             — something the test watches while a command runs (lock attempts)
import { createInterface } from 'node:readline';
import { createClient } from 'redis';
import { createWecomClient, createWecomProvider, MemoryPermanentCodeStore } from '@scrm-openapi/wecom';
import { createRedisDedupeStore, createRedisThrottleStore, createRedisTicketStore, createRedisTokenStore } from '@scrm-openapi/redis';

// generous: this worker shares 2 cores with the whole test run, and the tests are about the lock, not the timeout
const storeOptions = { commandTimeoutMs: 3000 };
const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

/** A fresh connection per prepared scenario: an earlier test may have restarted Redis under an old one. */
let redis;
async function connect(url) {
  await redis?.close().catch(() => undefined);
  redis = createClient({ url, disableOfflineQueue: true });
  redis.on('error', () => {});
  await redis.connect();
  return redis;
}

/** The Redis token store, telling the test about every lock attempt (and nothing else changed). */
function reportingTokenStore(store) {
  return {
    get: (key) => store.get(key),
    set: (key, token) => store.set(key, token),
    delete: (key, value) => store.delete(key, value),
    async acquireLock(key, ttlMs) {
      const release = await store.acquireLock(key, ttlMs);
      send({ event: 'lock', result: release ? 'acquired' : 'taken' });
      return release;
    },
  };
}

/** A fetch that remembers which access tokens the business calls carried. */
function recordingFetch(tokens) {
  return (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url);
    if (!url.pathname.endsWith('/gettoken')) tokens.add(url.searchParams.get('access_token'));
    return fetch(input, init);
  };
}

let prepared;
const call = (wecom) =>
  wecom.GET('/cgi-bin/externalcontact/get_follow_user_list').then(
    (r) => Boolean(r.data),
    () => false,
  );

const commands = {
  /** A WeCom client with a cold token cache over Redis. */
  async 'prepare-token'({ redisUrl, vendorUrl, corpId, corpSecret }) {
    await connect(redisUrl);
    const tokens = new Set();
    const wecom = createWecomClient({
      corpId,
      corpSecret,
      baseUrl: vendorUrl,
      fetch: recordingFetch(tokens),
      tokenStore: reportingTokenStore(createRedisTokenStore(redis, storeOptions)),
      throttle: false,
    });
    prepared = { wecom, tokens };
    return {};
  },
  /**
   * A WeCom provider with cold caches: tokens and the suite ticket in Redis, each corp's permanent code in this
   * process's own store (as if read from the app's database). The fetch tags each business call with its corp.
   */
  async 'prepare-provider'({ redisUrl, vendorUrl, suiteId, suiteSecret, corps }) {
    await connect(redisUrl);
    const permanentCodeStore = new MemoryPermanentCodeStore();
    for (const corp of corps) await permanentCodeStore.set(suiteId, corp, { permanentCode: `PERMANENT-${corp}`, savedAt: Date.now() });
    const provider = createWecomProvider({
      suiteId,
      suiteSecret,
      permanentCodeStore,
      suiteTicketStore: createRedisTicketStore(redis, storeOptions),
      tokenStore: createRedisTokenStore(redis, storeOptions),
      baseUrl: vendorUrl,
      throttle: false,
    });
    prepared = { provider, corps };
    return {};
  },
  /** `callsPerCorp` concurrent calls for every corp at once; answers how many came back for the right corp. */
  async 'run-provider'({ callsPerCorp }) {
    const { provider, corps } = prepared;
    const one = (corp) =>
      provider
        .forCorp(corp)
        .GET('/cgi-bin/externalcontact/get_follow_user_list', { params: { query: { corp } } })
        .then(
          (r) => (r.data?.follow_user?.[0] === corp ? 'ok' : 'wrong'),
          (e) => `error: ${e?.name}: ${e?.message}`,
        );
    const results = await Promise.all(corps.flatMap((corp) => Array.from({ length: callsPerCorp }, () => one(corp))));
    const errors = results.filter((r) => r.startsWith('error'));
    return {
      ok: results.filter((r) => r === 'ok').length,
      wrong: results.filter((r) => r === 'wrong').length,
      errors: errors.slice(0, 3),
      errorCount: errors.length,
      fetches: provider.tokenFetches(),
    };
  },
  /** `calls` concurrent calls through the prepared client. */
  async 'run-token'({ calls }) {
    const results = await Promise.all(Array.from({ length: calls }, () => call(prepared.wecom)));
    const ok = results.filter(Boolean).length;
    return { ok, failed: results.length - ok, tokens: [...prepared.tokens] };
  },
  /** A WeCom client throttled through Redis; its throttle store reports every reservation (when, and the wait). */
  async 'prepare-throttle'({ redisUrl, vendorUrl, corpId, limit, intervalMs, burst, warm }) {
    await connect(redisUrl);
    const store = createRedisThrottleStore(redis, storeOptions);
    const reservations = [];
    const throttleStore = {
      async reserve(key, l, now) {
        const wait = await store.reserve(key, l, now);
        // only the measured operation: the warm-up call below has a throttle key of its own
        if (key.includes('getFollowUserList')) reservations.push({ now, wait });
        return wait;
      },
      penalize: (key, until, l, now) => store.penalize(key, until, l, now),
    };
    const wecom = createWecomClient({
      corpId,
      corpSecret: `${corpId}-SECRET`,
      baseUrl: vendorUrl,
      tokenStore: createRedisTokenStore(redis, storeOptions),
      throttle: { store: throttleStore, rules: [{ scope: 'operation', limit, intervalMs, burst }] },
    });
    // the token, outside what is measured: another operation, so it takes nothing from the measured budget
    if (warm) await wecom.GET('/cgi-bin/externalcontact/customer_acquisition_quota');
    prepared = { wecom, reservations };
    return {};
  },
  /** `calls` concurrent calls; answers with this process's reservations. */
  async 'run-throttle'({ calls }) {
    const results = await Promise.all(Array.from({ length: calls }, () => call(prepared.wecom)));
    return { ok: results.filter(Boolean).length, reservations: prepared.reservations };
  },
  /** Sends as fast as 4 concurrent loops can for `durationMs` through the prepared throttled client. */
  async 'flood-throttle'({ durationMs }) {
    const started = Date.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() - started < durationMs) {
          const t = Date.now();
          await call(prepared.wecom);
          if (t - started < durationMs) sent++;
        }
      }),
    );
    return { sent };
  },
  /** `count` reservations on the Redis throttle store itself, all at the instant `now`. */
  async reserve({ redisUrl, key, limit, count, now }) {
    await connect(redisUrl);
    const store = createRedisThrottleStore(redis, storeOptions);
    const waits = await Promise.all(Array.from({ length: count }, () => store.reserve(key, limit, now)));
    return { waits, degraded: store.degraded };
  },
  /** Takes the refresh lock of `key` and keeps it (the test then kills this process). */
  async 'hold-lock'({ redisUrl, key, ttlMs }) {
    await connect(redisUrl);
    return { acquired: Boolean(await createRedisTokenStore(redis, storeOptions).acquireLock(key, ttlMs)) };
  },
  async dedupe({ redisUrl, key }) {
    await connect(redisUrl);
    return { fresh: await createRedisDedupeStore(redis, storeOptions).checkAndSet(key, 60) };
  },
};

createInterface({ input: process.stdin }).on('line', async (line) => {
  const { id, cmd, ...args } = JSON.parse(line);
  try {
    send({ id, result: await commands[cmd](args) });
  } catch (error) {
    send({ id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
});
process.stdin.on('end', async () => {
  await redis?.close().catch(() => undefined);
  process.exit(0);
});
send({ event: 'ready' });

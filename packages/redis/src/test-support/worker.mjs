// A separate process for the multi-process tests. Uses the built packages, as an app would.
//   node worker.mjs token    <redisUrl> <vendorUrl> <calls>
//   node worker.mjs dedupe   <redisUrl> <key>
//   node worker.mjs throttle <redisUrl> <vendorUrl> <ratePerSecond> <durationMs>
import { createClient } from 'redis';
import { createWecomClient } from '@scrm-openapi/wecom';
import { createRedisDedupeStore, createRedisThrottleStore, createRedisTokenStore } from '@scrm-openapi/redis';

const [mode, redisUrl, ...rest] = process.argv.slice(2);
const redis = createClient({ url: redisUrl, disableOfflineQueue: true });
// generous: this worker shares 2 cores with the whole test run, and the test is about the lock, not the timeout
const storeOptions = { commandTimeoutMs: 3000 };
redis.on('error', () => {});
await redis.connect();
const out = {};
try {
  if (mode === 'token') {
    const [vendorUrl, calls] = rest;
    const wecom = createWecomClient({
      corpId: 'ww-multi-process',
      corpSecret: 'multi-process-SECRET-0001',
      baseUrl: vendorUrl,
      tokenStore: createRedisTokenStore(redis, storeOptions),
      throttle: false,
    });
    const results = await Promise.allSettled(
      Array.from({ length: Number(calls) }, () => wecom.GET('/cgi-bin/externalcontact/get_follow_user_list')),
    );
    out.ok = results.filter((r) => r.status === 'fulfilled' && r.value.data).length;
    out.failed = results.length - out.ok;
  } else if (mode === 'dedupe') {
    const [key] = rest;
    out.fresh = await createRedisDedupeStore(redis, storeOptions).checkAndSet(key, 60);
  } else if (mode === 'throttle') {
    const [vendorUrl, rate, duration] = rest;
    const wecom = createWecomClient({
      corpId: 'ww-throttle',
      corpSecret: 'throttle-SECRET-0001',
      baseUrl: vendorUrl,
      tokenStore: createRedisTokenStore(redis, storeOptions),
      throttle: { store: createRedisThrottleStore(redis, storeOptions), rules: [{ scope: 'operation', limit: Number(rate), intervalMs: 1000, burst: 1 }] },
    });
    await wecom.GET('/cgi-bin/externalcontact/get_follow_user_list'); // warm the token outside the window
    const started = Date.now();
    let sent = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() - started < Number(duration)) {
          const t = Date.now();
          await wecom.GET('/cgi-bin/externalcontact/get_follow_user_list');
          if (t - started < Number(duration)) sent++;
        }
      }),
    );
    out.sent = sent;
  }
} finally {
  await redis.close();
}
process.stdout.write(JSON.stringify(out));

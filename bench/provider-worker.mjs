// One process of the `provider` bench section (bench/run.mjs): a WeCom provider over shared Redis stores, cold, that
// calls every corp once at `startAt` (all processes start together) and prints what it did as one JSON line.
//   node bench/provider-worker.mjs '{"redisUrl":…,"vendorUrl":…,"suiteId":…,"suiteSecret":…,"corps":[…],"startAt":…}'
import { createClient } from 'redis';
import { createWecomProvider, MemoryPermanentCodeStore } from '@scrm-openapi/wecom';
import { createRedisTicketStore, createRedisTokenStore } from '@scrm-openapi/redis';

const { redisUrl, vendorUrl, suiteId, suiteSecret, corps, startAt } = JSON.parse(process.argv[2]);
const redis = createClient({ url: redisUrl, disableOfflineQueue: true });
redis.on('error', () => {});
await redis.connect();
// each corp's permanent code as the app's database would hand it over
const permanentCodeStore = new MemoryPermanentCodeStore();
for (const corp of corps) await permanentCodeStore.set(suiteId, corp, { permanentCode: `PERMANENT-${corp}`, savedAt: Date.now() });
// as in the Redis package's multi-process tests: generous, since the processes share the machine with the vendor fake
const degraded = [];
const storeOptions = { commandTimeoutMs: 3000, onEvent: (e) => degraded.push(e.type) };
const provider = createWecomProvider({
  suiteId,
  suiteSecret,
  permanentCodeStore,
  suiteTicketStore: createRedisTicketStore(redis, storeOptions),
  tokenStore: createRedisTokenStore(redis, storeOptions),
  baseUrl: vendorUrl,
  throttle: false,
});
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
const started = performance.now();
const results = await Promise.all(
  corps.map((corp) =>
    provider
      .forCorp(corp)
      .GET('/cgi-bin/externalcontact/get_follow_user_list', { params: { query: { corp } } })
      .then(
        (r) => (r.data?.follow_user?.[0] === corp ? 'ok' : 'wrong'),
        (e) => `${e?.name}: ${e?.message}`,
      ),
  ),
);
const elapsedMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    ok: results.filter((r) => r === 'ok').length,
    wrong: results.filter((r) => r === 'wrong').length,
    errors: results.filter((r) => r !== 'ok' && r !== 'wrong').slice(0, 3),
    fetches: provider.tokenFetches(),
    elapsedMs,
    degraded,
  })}\n`,
);
await redis.close();

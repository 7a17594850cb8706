import { randomUUID } from 'node:crypto';
import {
  type AuthorizationStore,
  type StoredAuthorization,
  type StoredTicket,
  type TicketStore,
  MemoryDedupeStore,
  MemoryThrottleStore,
  MemoryTokenStore,
  type DedupeStore,
  type RateLimit,
  type StoredToken,
  type ThrottleStore,
  type TokenStore,
} from '@scrm-openapi/core';
import { burstTolerance, emissionInterval, penaltyTat } from '@scrm-openapi/core/internal';
import { RedisGuard, type RedisCommander, type RedisStoreOptions } from './guard.js';

export interface RedisTokenStoreOptions extends RedisStoreOptions {}

/**
 * Deletes the key only when it still holds the token we were told to drop (another process may have refreshed).
 * A value that is not a token is left alone without an error: a script error would read as "Redis is down".
 */
const DELETE_IF_VALUE = `local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local ok, t = pcall(cjson.decode, v)
if ok and type(t) == 'table' and t.value == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Releases a lock only if we still own it. */
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * A `TokenStore` in Redis, shared by every process of the app: one token per vendor and credential (keys never
 * contain the secret), and a short refresh lock so exactly one process fetches a new token while the others wait.
 *
 *     const tokenStore = createRedisTokenStore(redis, { logger });
 *     const wecom = createWecomClient({ corpId, corpSecret, tokenStore });
 */
export function createRedisTokenStore(
  client: RedisCommander,
  options: RedisTokenStoreOptions = {},
): TokenStore & { readonly degraded: boolean } {
  const guard = new RedisGuard(client, 'token store', options);
  // the process's own copy: what calls use while Redis is away
  const memory = new MemoryTokenStore();
  const parse = (reply: unknown): StoredToken | undefined => {
    if (typeof reply !== 'string') return undefined;
    try {
      const t = JSON.parse(reply) as StoredToken;
      return typeof t.value === 'string' && typeof t.expiresAt === 'number' ? t : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    get degraded() {
      return guard.degraded;
    },
    async get(key) {
      const token = await guard.run(['GET', guard.key(key)], () => memory.get(key), parse);
      if (token) await memory.set(key, token);
      return token;
    },
    async set(key, token) {
      await memory.set(key, token);
      const ttl = Math.max(1, Math.ceil(token.expiresAt - Date.now()));
      await guard.run(
        ['SET', guard.key(key), JSON.stringify(token), 'PX', String(ttl)],
        () => undefined,
        () => undefined,
      );
    },
    async delete(key, expectedValue) {
      await memory.delete(key, expectedValue);
      const args = expectedValue === undefined ? ['DEL', guard.key(key)] : ['EVAL', DELETE_IF_VALUE, '1', guard.key(key), expectedValue];
      await guard.run(
        args,
        () => undefined,
        () => undefined,
      );
    },
    async acquireLock(key, ttlMs) {
      const lockKey = guard.key(`${key}:lock`);
      const owner = randomUUID();
      const got = await guard.run(
        ['SET', lockKey, owner, 'NX', 'PX', String(Math.max(1, Math.ceil(ttlMs)))],
        () => 'memory',
        (r) => (r === 'OK' ? 'redis' : 'taken'),
      );
      if (got === 'taken') return null;
      // without Redis the process's own single-flight is the only lock there is
      if (got === 'memory') return async () => {};
      return async () => {
        await guard.run(
          ['EVAL', RELEASE_LOCK, '1', lockKey, owner],
          () => undefined,
          () => undefined,
        );
      };
    },
  };
}

/**
 * A `DedupeStore` in Redis, for the callback receivers (`dedupe:` option of every vendor's callback helper):
 * a delivery seen by any process is rejected as `replayed` by all of them.
 */
export function createRedisDedupeStore(
  client: RedisCommander,
  options: RedisStoreOptions = {},
): DedupeStore & { readonly degraded: boolean } {
  const guard = new RedisGuard(client, 'dedupe store', options);
  const memory = new MemoryDedupeStore();
  return {
    get degraded() {
      return guard.degraded;
    },
    async checkAndSet(key, ttlSeconds) {
      const fresh = await guard.run(
        ['SET', guard.key(key), '1', 'NX', 'PX', String(Math.max(1, Math.ceil(ttlSeconds * 1000)))],
        () => memory.checkAndSet(key, ttlSeconds),
        (r) => r === 'OK',
      );
      // remember locally too, so a delivery repeated during an outage is still caught here
      if (fresh) await memory.checkAndSet(key, ttlSeconds);
      return fresh;
    },
  };
}

/** GCRA in one atomic step (see @scrm-openapi/core's throttle): returns the wait in ms and stores the new arrival time. */
const RESERVE = `local now = tonumber(ARGV[1])
local t = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
local next = tat + t
local wait = next - t - tolerance - now
if wait < 0 then wait = 0 end
redis.call('SET', KEYS[1], tostring(next), 'PX', math.ceil(next - now + tolerance) + 1000)
return math.ceil(wait)`;

const PENALIZE = `local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local target = tonumber(ARGV[1])
if target > current then redis.call('SET', KEYS[1], tostring(target), 'PX', math.ceil(target - tonumber(ARGV[2])) + 1000) end
return 0`;

/** A `ThrottleStore` in Redis: the whole fleet shares one budget per vendor limit (`throttle: { store }`). */
export function createRedisThrottleStore(
  client: RedisCommander,
  options: RedisStoreOptions = {},
): ThrottleStore & { readonly degraded: boolean } {
  const guard = new RedisGuard(client, 'throttle store', options);
  const memory = new MemoryThrottleStore();
  return {
    get degraded() {
      return guard.degraded;
    },
    reserve(key: string, limit: RateLimit, now: number) {
      const args = [String(now), String(emissionInterval(limit)), String(burstTolerance(limit))];
      return guard.run(
        ['EVAL', RESERVE, '1', guard.key(key), ...args],
        () => memory.reserve(key, limit, now),
        (r) => Number(r),
      );
    },
    async penalize(key: string, until: number, limit: RateLimit, now: number) {
      await memory.penalize(key, until, limit);
      await guard.run(
        ['EVAL', PENALIZE, '1', guard.key(key), String(penaltyTat(until, limit)), String(now)],
        () => undefined,
        () => undefined,
      );
    },
  };
}

/**
 * A `TicketStore` in Redis (`suiteTicketStore` of `createWecomProvider`): the process that receives the suite's
 * 指令回调 keeps the pushed ticket here, and whichever process fetches the suite token reads it. Kept until it expires.
 */
export function createRedisTicketStore(
  client: RedisCommander,
  options: RedisStoreOptions = {},
): TicketStore & { readonly degraded: boolean } {
  const guard = new RedisGuard(client, 'ticket store', options);
  const memory = new Map<string, StoredTicket>();
  const key = (appId: string) => guard.key(`scrm:ticket:${appId}`);
  return {
    get degraded() {
      return guard.degraded;
    },
    async get(appId) {
      const ticket = await guard.run(
        ['GET', key(appId)],
        async () => memory.get(appId),
        (reply) => {
          const parsed = parseJson(reply) as StoredTicket | undefined;
          return parsed && typeof parsed.value === 'string' && typeof parsed.expiresAt === 'number' ? parsed : undefined;
        },
      );
      if (ticket) memory.set(appId, ticket);
      return ticket;
    },
    async set(appId, ticket) {
      memory.set(appId, ticket);
      const ttl = Math.max(1, Math.ceil(ticket.expiresAt - Date.now()));
      await guard.run(
        ['SET', key(appId), JSON.stringify(ticket), 'PX', String(ttl)],
        () => undefined,
        () => undefined,
      );
    },
  };
}

/**
 * An `AuthorizationStore` in Redis (`permanentCodeStore` of `createWecomProvider`). Permanent codes are long-lived
 * secrets: Redis must be persistent and private for this; most applications keep them in their own database and
 * implement the three methods over it instead. Without Redis, reads fail rather than fall back to memory (a code
 * missing from memory would read as "not authorized").
 */
export function createRedisAuthorizationStore(client: RedisCommander, options: RedisStoreOptions = {}): AuthorizationStore {
  const guard = new RedisGuard(client, 'authorization store', options);
  const key = (appId: string, tenantId: string) => guard.key(`scrm:authorization:${appId}:${tenantId}`);
  const unavailable = () => {
    throw new Error('@scrm-openapi/redis: the authorization store cannot reach Redis');
  };
  return {
    get: (appId, tenantId) =>
      guard.run(['GET', key(appId, tenantId)], unavailable, (reply) => {
        const parsed = parseJson(reply) as StoredAuthorization | undefined;
        return parsed && typeof parsed.permanentCode === 'string' ? parsed : undefined;
      }),
    set: (appId, tenantId, authorization) =>
      guard.run(['SET', key(appId, tenantId), JSON.stringify(authorization)], unavailable, () => undefined),
    delete: (appId, tenantId) => guard.run(['DEL', key(appId, tenantId)], unavailable, () => undefined),
  };
}

function parseJson(reply: unknown): unknown {
  if (typeof reply !== 'string') return undefined;
  try {
    return JSON.parse(reply);
  } catch {
    return undefined;
  }
}

export {
  createRedisAuthorizationStore,
  createRedisDedupeStore,
  createRedisThrottleStore,
  createRedisTicketStore,
  createRedisTokenStore,
} from './stores.js';
export type { RedisTokenStoreOptions } from './stores.js';
export type { RedisCommander, RedisStoreOptions } from './guard.js';

export { freePort, startLocalRedis } from './local-redis.js';
export type { LocalRedis, LocalRedisOptions } from './local-redis.js';

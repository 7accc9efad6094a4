import type { RedisClient } from './redis.js';

/** Runs one Lua script on a client: keys first, then arguments. */
export type RedisScript = (
  redis: RedisClient,
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<unknown>;

type ScriptCommand = (
  numberOfKeys: number,
  ...keysAndArgs: (string | number)[]
) => Promise<unknown>;

/**
 * A Lua script sent as `EVALSHA` (ioredis `defineCommand`) instead of its whole text on each
 * call: these run on every refresh. ioredis falls back to `EVAL` once where Redis does not know
 * the script yet (a restart, a failover, another cluster node). Each client learns the command
 * on first use; `name` must be unique, as it becomes a method of the client.
 */
export function defineScript(name: string, lua: string): RedisScript {
  const command = `tokenlane_${name}`;
  const defined = new WeakSet<RedisClient>();
  return (redis, keys, args) => {
    if (!defined.has(redis)) {
      redis.defineCommand(command, { lua });
      defined.add(redis);
    }
    const run = (redis as unknown as Record<string, ScriptCommand>)[command];
    if (run === undefined) throw new Error(`Redis script ${name} is not defined on this client`);
    return run.call(redis, keys.length, ...keys, ...args);
  };
}

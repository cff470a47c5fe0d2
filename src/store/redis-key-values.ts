import type { KeyLayout } from './keys.js';
import type { RedisClient, Write } from './redis-client.js';
import { APPEND, DELETE_IF_EQUALS, INCREMENT, TAKE_ALL, type Send } from './redis-lua.js';
import { ttlMillis } from './ttl.js';
import type { KeyValueStore } from './types.js';

export function createKeyValues(redis: RedisClient, write: Write, keys: KeyLayout): KeyValueStore {
  const key = keys.kv;
  // Counters are not worth a WAIT (see RedisStoreOptions.waitReplicas): sent as they are.
  const send: Send = (command, ...args) => redis.call(command, ...args);
  return {
    get: (name) => redis.get(key(name)),
    async set(name, value, ttlMs) {
      if (ttlMs === undefined) await write('set', key(name), value);
      else await write('set', key(name), value, 'PX', ttlMillis(ttlMs));
    },
    async setIfAbsent(name, value, ttlMs) {
      return (await write('set', key(name), value, 'PX', ttlMillis(ttlMs), 'NX')) === 'OK';
    },
    async delete(name) {
      await write('del', key(name));
    },
    async deleteIfEquals(name, expected) {
      return (await DELETE_IF_EQUALS.run(write, [key(name)], [expected])) === 1;
    },
    async append(name, value, ttlMs) {
      await APPEND.run(write, [key(name)], [value, ttlMillis(ttlMs)]);
    },
    async takeAll(name) {
      const values = await TAKE_ALL.run(write, [key(name)], []);
      if (!Array.isArray(values) || !values.every((value): value is string => typeof value === 'string')) {
        throw new Error(`takeAll(${name}): unexpected reply from Redis`);
      }
      return values;
    },
    async increment(name, ttlMs) {
      const count = await INCREMENT.run(send, [key(name)], [ttlMillis(ttlMs)]);
      if (typeof count !== 'number') throw new Error(`increment(${name}): unexpected reply from Redis`);
      return count;
    },
  };
}

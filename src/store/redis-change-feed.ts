import type { Cluster, Redis } from 'ioredis';
import type { OrderStatusChange } from '../domain/order.js';
import { shutdown, type RedisClient } from './redis-client.js';
import { parseChange } from './redis-orders.js';
import type { ChangeFeed } from './types.js';

type Listener = (change: OrderStatusChange) => void;

/**
 * One subscription per store, opened on the first `subscribe` and fanning each message out to
 * the local listeners. On one Redis (or behind Sentinel) a duplicate connection SUBSCRIBEs to the
 * one change channel (a subscribed connection can do nothing else). In a cluster the client's own
 * sharded subscribers (one connection per master, redis-client.ts) SSUBSCRIBE to every order
 * bucket's channel, each on the master of its slot, so a change crosses no cluster bus.
 *
 * Redis pub/sub does not buffer: a change published while the subscriber is reconnecting is not
 * delivered. Consumers that must not miss one resume from `changesAfter` with the last eventId
 * they saw.
 */
export function createFeed(redis: RedisClient, sharded: boolean, channels: string[], onError: (error: unknown) => void) {
  // One entry per subscription, so subscribing the same function twice is two subscriptions.
  const subscriptions = new Set<{ listener: Listener }>();
  const wanted = new Set(channels);
  let subscriber: RedisClient | null = null;
  let closed = false;

  function deliver(from: string, message: string): void {
    if (!wanted.has(from)) return;
    let change: OrderStatusChange;
    try {
      change = parseChange(message);
    } catch (error) {
      onError(error);
      return;
    }
    for (const subscription of subscriptions) {
      try {
        subscription.listener(change);
      } catch (error) {
        onError(error);
      }
    }
  }

  function connection(): RedisClient {
    if (!subscriber) {
      if (sharded) {
        subscriber = redis;
        subscriber.on('smessage', deliver);
      } else {
        subscriber = (redis as Redis).duplicate();
        subscriber.on('error', onError);
        subscriber.on('message', deliver);
      }
    }
    return subscriber;
  }

  const feed: ChangeFeed & { close(): Promise<void> } = {
    async subscribe(listener) {
      if (closed) throw new Error('The store is closed');
      const subscription = { listener };
      subscriptions.add(subscription);
      try {
        // (S)SUBSCRIBE again on every call, not only the first: it is idempotent, and its reply
        // proves the subscription is live on the current connection, also while one is being
        // re-established. A sharded channel per call: SSUBSCRIBE takes channels of one slot only.
        const client = connection();
        if (sharded) await Promise.all(channels.map((channel) => (client as Cluster).ssubscribe(channel)));
        else await (client as Redis).subscribe(...channels);
      } catch (error) {
        subscriptions.delete(subscription);
        throw error;
      }
      return () => {
        subscriptions.delete(subscription);
      };
    },
    async close() {
      closed = true;
      subscriptions.clear();
      // The cluster's sharded subscribers end with the cluster client itself.
      if (subscriber && subscriber !== redis) await shutdown(subscriber);
    },
  };
  return feed;
}

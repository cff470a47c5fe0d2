import type { Store } from '../../src/store/types.js';

/**
 * A store whose next order write that finds a capture, refund or cancel pending fails once, as a
 * connection dropping would, while `armed()` says so (`disarm` is called when it fails): the
 * provider's answer came, the store could not keep it. For `startGateway`'s `wrapStore`.
 */
export function failingOnceWhilePending(armed: () => boolean, disarm: () => void): (inner: Store) => Store {
  return (inner) => ({
    ...inner,
    orders: {
      ...inner.orders,
      update: (id, mutate) =>
        inner.orders.update(id, (order) => {
          if (armed() && order.pendingOperations?.length) {
            disarm();
            throw new Error('Connection is closed.');
          }
          return mutate(order);
        }),
    },
  });
}

import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { SentinelConnector, type RedisOptions } from 'ioredis';

/*
 * ioredis listens to each connection's socket with `once('error')` (its connector and the client
 * both), so a socket that errors twice throws its second error as an unhandled 'error' event and
 * kills the process (ioredis #962, not merged upstream). A TLS socket can: a gateway pointed at a
 * TLS-only Redis Cluster without the right CA got the certificate failure and then the server's
 * alert on the same socket ("tlsv1 alert decode error"), and exited instead of staying up, not
 * ready. The first error is ioredis' to handle (it reconnects on the close that follows); a later
 * one on the same dead socket adds nothing and is dropped here.
 */

type ConnectorClass = NonNullable<RedisOptions['Connector']>;
type Connect = (this: unknown, ...args: unknown[]) => Promise<Socket>;

// ioredis exports the Sentinel connector but not the standalone one, which every cluster node,
// URL connection and duplicate() uses.
const { StandaloneConnector } = createRequire(import.meta.url)('ioredis/built/connectors/index.js') as { StandaloneConnector: ConnectorClass };

function guarded(Base: ConnectorClass): ConnectorClass {
  const connect = Base.prototype.connect as Connect;
  return class GuardedConnector extends Base {
    override async connect(...args: unknown[]) {
      const stream = await connect.apply(this, args);
      stream.on('error', ignoreLaterError);
      return stream;
    }
  } as ConnectorClass;
}

function ignoreLaterError(): void {
  // See above: the socket's first error reached ioredis through its own listener.
}

/** The connector for a Redis URL, every cluster node and every duplicate(). */
export const GuardedStandaloneConnector = guarded(StandaloneConnector);

/** ioredis' Sentinel connector as seen from here: `connectToSentinel` is private in its types. */
type SentinelConnectorClass = new (options: unknown) => { connectToSentinel(endpoint: unknown, options?: object): unknown };
const SentinelBase = guarded(SentinelConnector as unknown as ConnectorClass) as unknown as SentinelConnectorClass;

/**
 * The connector for a master behind Sentinel (give it the client as `emitter` after construction,
 * as ioredis does for its own). The connections to the sentinels themselves (each lookup's, and the
 * failover detector's subscribers) are ioredis clients it makes with options of its own: they get
 * the guarded connector too.
 */
export const GuardedSentinelConnector = class GuardedSentinelConnector extends SentinelBase {
  override connectToSentinel(endpoint: unknown, options?: object): unknown {
    return super.connectToSentinel(endpoint, { Connector: GuardedStandaloneConnector, ...options });
  }
} as unknown as ConnectorClass;

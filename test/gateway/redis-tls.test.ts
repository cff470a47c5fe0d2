/**
 * A gateway on Redis over TLS, each a child process configured only by environment, as an
 * operator would: a TLS-only Redis Cluster (its bus too), a TLS-only master behind a TLS-only
 * Sentinel, and one TLS server by a rediss:// REDIS_URL, all with certificates of a private CA
 * (REDIS_TLS_CA_FILE). With it: ready, an Intergiro order created and read back, its payment
 * pushed to a subscriber (the subscriber connections speak TLS too). Without TLS, or without the
 * CA (the certificate cannot be verified, and is never accepted unverified): not ready, a
 * mutation answers SERVICE_UNAVAILABLE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, redisTargetOf } from '../../src/config.js';
import { createRedisStore } from '../../src/store/redis.js';
import { CREATE_ORDER } from '../support/documents.js';
import { startTestEnvironment, tokenFor, type TestEnvironment } from '../support/gateway.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { gql } from '../support/graphql.js';
import { intergiroLinkOrder } from '../support/intergiro.js';
import { orderRoundTrip, redisGateways } from '../support/redis-gateways.js';
import { startRedisCluster, type RedisCluster } from '../support/redis-cluster.js';
import { spawnRedis, stopServer } from '../support/redis-server.js';
import { startSentinelGroup, type SentinelGroup } from '../support/redis-sentinel.js';
import { TLS_CA, TLS_FILES, tlsServerArgs } from '../support/redis-tls.js';
import { freePort } from '../support/free-port.js';

describe('a gateway on Redis over TLS (Cluster, Sentinel, rediss://)', () => {
  let env: TestEnvironment;
  let cluster: RedisCluster;
  let group: SentinelGroup;
  const children: GatewayProcess[] = [];

  beforeAll(async () => {
    // The sandboxes only (the in-process store goes unused): the gateways are child processes.
    env = await startTestEnvironment('memory');
    [cluster, group] = await Promise.all([startRedisCluster(3, { tls: true }), startSentinelGroup({ tls: true, replica: false })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(children.map((child) => child.stop()));
    await cluster?.stop();
    await group?.stop();
    await env?.close();
  });

  const gateway = redisGateways(() => env, children);

  const clusterNodes = () => ({ REDIS_CLUSTER_NODES: cluster.seeds });
  const sentinels = () => ({ REDIS_SENTINELS: group.sentinels, REDIS_SENTINEL_NAME: group.name });
  const withCa = { REDIS_TLS: '1', REDIS_TLS_CA_FILE: TLS_FILES.ca };

  const roundTrip = (url: string, sub: string) => orderRoundTrip(url, sub);

  it('works on a TLS-only cluster with REDIS_TLS=1 and the private CA', async () => {
    const child = await gateway({ ...clusterNodes(), ...withCa });
    await roundTrip(child.url, 'shop-tls-cluster');
    expect(child.output()).toContain('Store: Redis Cluster, TLS');
  });

  it('works behind a TLS-only Sentinel: the master and the sentinels both over TLS (REDIS_SENTINEL_TLS follows REDIS_TLS)', async () => {
    const child = await gateway({ ...sentinels(), ...withCa });
    await roundTrip(child.url, 'shop-tls-sentinel');
    expect(child.output()).toContain('Store: Redis behind Sentinel, TLS, sentinels TLS');
  });

  it('opens a rediss:// REDIS_URL with the CA of REDIS_TLS_CA_FILE, and refuses its certificate without it', async () => {
    const port = await freePort();
    const server = await spawnRedis(port, [...tlsServerArgs(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { tlsCa: TLS_CA });
    const url = `rediss://127.0.0.1:${port}`;
    const stores = [
      createRedisStore({ ...redisTargetOf(loadConfig({ REDIS_URL: url, REDIS_TLS_CA_FILE: TLS_FILES.ca }))!, onError: () => undefined }),
      // The system's CAs do not know the test CA: the certificate is not accepted unverified.
      createRedisStore({ ...redisTargetOf(loadConfig({ REDIS_URL: url }))!, onError: () => undefined }),
    ];
    try {
      await stores[0]!.ping();
      await expect(stores[1]!.ping()).rejects.toThrow();
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await stopServer(server);
    }
  });

  it('is not ready without TLS or without the CA, and a mutation answers SERVICE_UNAVAILABLE', async () => {
    const cases = await Promise.all([
      gateway(clusterNodes(), 'live'),
      gateway({ ...clusterNodes(), REDIS_TLS: '1' }, 'live'),
      gateway({ ...sentinels(), REDIS_TLS: '1' }, 'live'),
      gateway({ ...sentinels(), REDIS_SENTINEL_TLS: '0', ...withCa }, 'live'),
    ]);
    try {
      const shop = await tokenFor('orders:create', 'shop-tls-refused');
      await Promise.all(
        cases.map(async (child) => {
          const ready = await fetch(`${child.url}/health/ready`);
          expect(ready.status).toBe(503);
          const refused = await gql(child.url, CREATE_ORDER, { input: intergiroLinkOrder('5.00') }, shop);
          expect(refused.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
        }),
      );
    } finally {
      await Promise.all(cases.map((child) => child.stop('SIGKILL')));
    }
  }, 90_000); // several tsx gateways booting at once on a loaded 2-core CI machine

  it('refuses contradictory or misplaced TLS settings at start, naming the variables', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ SANDBOX: '1', ...env });
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ REDIS_URL: 'rediss://127.0.0.1:1', REDIS_TLS: '0' })).toContain('REDIS_TLS=0: REDIS_URL is rediss://');
    expect(problems({ REDIS_TLS: '1' })).toContain('REDIS_TLS: only with a Redis');
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_TLS_CA_FILE: TLS_FILES.ca })).toContain('REDIS_TLS_CA_FILE: only with TLS');
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_TLS: '1', REDIS_TLS_CA_FILE: '/nonexistent/ca.pem' })).toContain('REDIS_TLS_CA_FILE: cannot be read (ENOENT)');
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_TLS: '1', REDIS_TLS_CA_FILE: TLS_FILES.key })).toContain('REDIS_TLS_CA_FILE: not a PEM certificate file');
    expect(problems({ REDIS_URL: 'redis://127.0.0.1:1', REDIS_SENTINEL_TLS: '1' })).toContain('REDIS_SENTINEL_TLS: only with REDIS_SENTINELS');
    expect(problems({ REDIS_URL: 'rediss://127.0.0.1:1', REDIS_TLS_CA_FILE: TLS_FILES.ca })).toBe('');
  });
});

/**
 * A gateway on a password-protected Redis Cluster (every node with `requirepass` and an ACL user)
 * and on a protected master behind a Sentinel that has a password of its own, each a child process
 * configured only by environment, as an operator would: REDIS_USERNAME / REDIS_PASSWORD for the
 * data nodes, REDIS_SENTINEL_PASSWORD for the sentinel. With them: ready, an Intergiro order
 * created and read back, its payment pushed to a subscriber (the subscriber connections AUTH
 * too); REDIS_URL's server is opened with REDIS_PASSWORD beside the URL. Without them, or with a
 * wrong one: not ready, the log says NOAUTH / WRONGPASS, a mutation answers SERVICE_UNAVAILABLE;
 * no password in any answer or output.
 */
import { randomBytes } from 'node:crypto';
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
import { startRedisServer } from '../support/redis-server.js';
import { startSentinelGroup, type SentinelGroup } from '../support/redis-sentinel.js';
import { recordSecrets } from '../support/test-logs.js';

const password = () => randomBytes(12).toString('hex');
/** The data nodes: `default` (the helpers' and Sentinel's) and the gateway's own ACL user. */
const auth = { password: password(), user: { name: 'gateway', password: password() } };
const sentinelPassword = password();
const wrongPassword = password();
const SECRETS = [auth.password, auth.user.password, sentinelPassword, wrongPassword];

describe('a gateway on a password-protected Redis Cluster and Sentinel', () => {
  let env: TestEnvironment;
  let cluster: RedisCluster;
  let group: SentinelGroup;
  const children: GatewayProcess[] = [];

  beforeAll(async () => {
    recordSecrets(SECRETS);
    // The sandboxes only (the in-process store goes unused): the gateways are child processes.
    env = await startTestEnvironment('memory');
    [cluster, group] = await Promise.all([startRedisCluster(3, { auth }), startSentinelGroup({ auth, sentinelPassword, replica: false })]);
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
  const asGateway = { REDIS_USERNAME: auth.user.name, REDIS_PASSWORD: auth.user.password };

  function expectNoSecret(text: string): void {
    for (const secret of SECRETS) expect(text, 'a password was printed or answered').not.toContain(secret);
  }

  const roundTrip = (url: string, sub: string) => orderRoundTrip(url, sub, expectNoSecret);

  it('works on the cluster as an ACL user (REDIS_USERNAME, REDIS_PASSWORD)', async () => {
    const child = await gateway({ ...clusterNodes(), ...asGateway });
    await roundTrip(child.url, 'shop-protected-cluster');
    expect(child.output()).toContain('Store: Redis Cluster, AUTH as gateway');
    expectNoSecret(child.output());
  });

  it('works behind a Sentinel with its own password (REDIS_SENTINEL_PASSWORD)', async () => {
    const child = await gateway({ ...sentinels(), ...asGateway, REDIS_SENTINEL_PASSWORD: sentinelPassword });
    await roundTrip(child.url, 'shop-protected-sentinel');
    expect(child.output()).toContain('Store: Redis behind Sentinel, AUTH as gateway, sentinels AUTH as default');
    expectNoSecret(child.output());
  });

  it("opens REDIS_URL's server with REDIS_USERNAME / REDIS_PASSWORD kept out of the URL", async () => {
    const server = await startRedisServer({ auth });
    const stores = [
      createRedisStore({ ...redisTargetOf(loadConfig({ REDIS_URL: server.url, ...asGateway }))!, onError: () => undefined }),
      createRedisStore({ ...redisTargetOf(loadConfig({ REDIS_URL: server.url }))!, onError: () => undefined }),
    ];
    try {
      await stores[0]!.ping();
      await expect(stores[1]!.ping()).rejects.toThrow(/NOAUTH/);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
      await server.stop();
    }
  });

  it('is not ready without the credentials or with a wrong one, says why in its log, and prints no password', async () => {
    const cases = await Promise.all([
      // The cluster without AUTH, and with the wrong password for the gateway's user.
      gateway(clusterNodes(), 'live').then((child) => ({ child, says: /Failed to refresh slots cache\. Last node error: NOAUTH/ })),
      gateway({ ...clusterNodes(), REDIS_USERNAME: auth.user.name, REDIS_PASSWORD: wrongPassword }, 'live').then((child) => ({ child, says: /WRONGPASS/ })),
      // The sentinel without its password (the master's would be right), and the master with a wrong one.
      gateway({ ...sentinels(), ...asGateway }, 'live').then((child) => ({ child, says: /All sentinels are unreachable.*Last error: NOAUTH/ })),
      gateway({ ...sentinels(), REDIS_PASSWORD: wrongPassword, REDIS_SENTINEL_PASSWORD: sentinelPassword }, 'live').then((child) => ({ child, says: /WRONGPASS/ })),
    ]);
    try {
      await Promise.all(
        cases.map(async ({ child, says }) => {
          const ready = await fetch(`${child.url}/health/ready`);
          expect(ready.status).toBe(503);
          expect(await ready.json()).toMatchObject({ status: 'not ready' });
          await expect.poll(() => child.output(), { timeout: 10_000 }).toMatch(says);
        }),
      );
      // The store is unavailable, not broken: behind Sentinel the master refuses each command at
      // once; sentinels that never let the gateway in fail it after a few rounds of asking them;
      // a cluster none of whose nodes let it in has "None of startup nodes is available".
      const shop = await tokenFor('orders:create', 'shop-wrong-password');
      for (const refusing of cases) {
        const refused = await gql(refusing.child.url, CREATE_ORDER, { input: intergiroLinkOrder('5.00') }, shop);
        expect(refused.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
        expectNoSecret(refused.raw);
      }
      // And each stops when told to, its store never having let it in.
      await Promise.all(cases.map(async ({ child }) => expect(await child.stop('SIGTERM')).toBe(0)));
    } finally {
      await Promise.all(cases.map(({ child }) => child.stop('SIGKILL')));
    }
    for (const { child } of cases) expectNoSecret(child.output());
  }, 90_000); // four tsx gateways booting at once on a loaded 2-core CI machine
});

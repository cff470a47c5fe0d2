/**
 * `npm run bench:redis`: what the gateway asks of Redis, measured on a real redis-server with
 * MONITOR (each command the gateway sends, and each one its scripts run), INFO stats (network
 * bytes) and INFO memory / MEMORY USAGE, per unit of work:
 *
 *   - an Intergiro card order created (authorized at once, with an idempotency key),
 *   - its capture,
 *   - a payment callback (a link order paid by the buyer; Intergiro's signed callback),
 *   - a subscription opened (orderStatusChanged: snapshot, then live),
 *   - a gateway idling (the reconciliation poller), per second.
 *
 * Writes the table to test/bench/results/redis-footprint.md; the README's deployment section
 * sizes gateways and shards from it. One Redis (all commands in one INFO); on a cluster the same
 * commands are spread over the shards by key (src/store/keys.ts).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { APPLY_EVENTS, CREATE_ORDER, WATCH_ORDER, type OrderView, type StatusChangeView } from '../support/documents.js';
import { startTestEnvironment, tokenFor } from '../support/gateway.js';
import { gqlOk, subscribe } from '../support/graphql.js';
import { INTERGIRO_TEST_BROWSER } from '../support/intergiro.js';

const N = Number(process.env.FOOTPRINT_ORDERS ?? 100);
/** Commands the measuring itself sends. */
const OWN = new Set(['info', 'config', 'memory', 'dbsize', 'scan', 'monitor', 'client']);

interface Row {
  unit: string;
  commands: number;
  writes: number;
  inScripts: number;
  byCommand: string;
  bytesIn: number;
  bytesOut: number;
  memory: number | null;
}

const env = await startTestEnvironment('redis');
const admin = new Redis(env.redis!.port, '127.0.0.1');
/** Commands seen by MONITOR since the last reset: sent by clients, and run by scripts ('lua'). */
const seen = { sent: new Map<string, number>(), inScripts: 0 };
const monitored = admin.duplicate();
const monitor = await monitored.monitor();
/** MONITOR's own stream is part of Redis' output bytes: subtracted. */
const monitorBytes = () => (monitor as unknown as { stream: { bytesRead: number } }).stream.bytesRead;
monitor.on('monitor', (_time: string, args: string[], source: string) => {
  const name = String(args[0]).toLowerCase();
  if (OWN.has(name)) return;
  if (source === 'lua') seen.inScripts++;
  else seen.sent.set(name, (seen.sent.get(name) ?? 0) + 1);
});
const rows: Row[] = [];
try {
  // N subscriptions, a graphql-ws socket each, under one token: over the default SOCKETS_PER_CALLER (50).
  const gateway = await env.startGateway({ reconcileIntervalMs: 600_000, socketsPerCaller: 0 }, { pollerDisabled: true });
  const backOffice = await tokenFor('orders:create orders:read orders:manage', 'footprint');
  const card = () => ({ paymentType: 'CARD', cardToken: `tok_visa_${randomUUID().replaceAll('-', '')}`, browser: INTERGIRO_TEST_BROWSER });

  const cards: OrderView[] = [];
  rows.push(
    await measure(`card order created (createOrder with an idempotency key)`, N, async () => {
      for (let i = 0; i < N; i++) {
        const input = { provider: 'INTERGIRO', currency: 'EUR', amount: '25.00', intergiro: card(), idempotencyKey: randomUUID() };
        cards.push((await gqlOk(gateway.url, CREATE_ORDER, { input }, backOffice)).createOrder);
      }
    }),
  );
  rows.push(
    await measure('capture (applyOrderEvents, one CAPTURE)', N, async () => {
      for (const order of cards) {
        await gqlOk(gateway.url, APPLY_EVENTS, { input: [{ orderId: order.id, events: [{ type: 'CAPTURE', amount: '25.00' }] }] }, backOffice);
      }
    }),
  );

  const links: OrderView[] = [];
  rows.push(
    await measure('link order created (createOrder, waits for the buyer)', N, async () => {
      for (let i = 0; i < N; i++) {
        const input = { provider: 'INTERGIRO', currency: 'EUR', amount: '20.00', intergiro: { paymentType: 'LINK' }, returnUrls: { success: 'https://shop.example/thanks' } };
        links.push((await gqlOk(gateway.url, CREATE_ORDER, { input }, backOffice)).createOrder);
      }
    }),
  );
  rows.push(
    await measure('payment callback (Intergiro, buyer paid the link)', N, async () => {
      for (const link of links) env.intergiro.payLink(link.providerOrderId!, 'pay');
      await env.intergiro.callbacksIdle();
    }),
  );

  const watches: ReturnType<typeof subscribe<{ orderStatusChanged: StatusChangeView }>>[] = [];
  rows.push(
    await measure('subscription opened (orderStatusChanged, snapshot sent)', N, async () => {
      for (const order of cards) {
        const watch = subscribe<{ orderStatusChanged: StatusChangeView }>(gateway.url, backOffice, WATCH_ORDER, { orderId: order.id });
        await watch.next();
        watches.push(watch);
      }
    }),
  );
  await Promise.all(watches.map((watch) => watch.dispose()));

  const idleSeconds = 10;
  const idle = await env.startGateway({ reconcileIntervalMs: 2000 });
  rows.push(
    await measure(`one idle gateway, per second (poller: 2 ticks/s x 16 schedule buckets)`, idleSeconds, async () => {
      await sleep(idleSeconds * 1000);
    }),
  );
  await idle.close();

  const orderMemory = await perOrderMemory(cards);
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} on one redis-server ${(await admin.info('server')).match(/redis_version:(\S+)/)?.[1]}, ${N} of each, REDIS_WAIT_REPLICAS=0.`,
    '`writes` are the commands that carry a WAIT when REDIS_WAIT_REPLICAS > 0 (every write but rate-limit counters); bytes are Redis\' network in/out.',
    '',
    '| per | commands sent | of them writes | run inside scripts | bytes in | bytes out | memory kept | commands sent, by name |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.unit} | ${fmt(row.commands)} | ${fmt(row.writes)} | ${fmt(row.inScripts)} | ${fmt(row.bytesIn, 0)} | ${fmt(row.bytesOut, 0)} | ${row.memory === null ? '' : fmt(row.memory, 0)} | ${row.byCommand} |`,
    ),
    '',
    `Memory of one captured card order's keys (MEMORY USAGE): ${orderMemory}.`,
    'Not in the table: the rate limit (RATE_LIMIT_PER_MINUTE, on by default) adds one EVALSHA (INCR, PTTL) per GraphQL operation.',
  ].join('\n');
  console.log(table);
  writeFileSync(fileURLToPath(new URL('./results/redis-footprint.md', import.meta.url)), `${table}\n`);
} finally {
  monitor.disconnect();
  monitored.disconnect();
  admin.disconnect();
  await env.close();
}

async function measure(unit: string, count: number, work: () => Promise<void>): Promise<Row> {
  await admin.config('RESETSTAT');
  const memoryBefore = Number((await admin.info('memory')).match(/used_memory:(\d+)/)?.[1]);
  seen.sent.clear();
  seen.inScripts = 0;
  const monitoredBefore = monitorBytes();
  await work();
  // MONITOR's feed trails the commands a little.
  await sleep(200);
  const stats = await admin.info('stats');
  const monitoredBytes = monitorBytes() - monitoredBefore;
  const memoryAfter = Number((await admin.info('memory')).match(/used_memory:(\d+)/)?.[1]);
  const calls = [...seen.sent];
  const total = calls.reduce((sum, [, value]) => sum + value, 0);
  const writes = calls.filter(([name]) => /^(evalsha|eval|set|del|zadd|zrem)$/.test(name)).reduce((sum, [, value]) => sum + value, 0);
  const net = (name: string) => Number(stats.match(new RegExp(`${name}:(\\d+)`))?.[1]);
  return {
    unit,
    commands: total / count,
    writes: writes / count,
    inScripts: seen.inScripts / count,
    byCommand: calls.sort(([, a], [, b]) => b - a).map(([name, value]) => `${name} ${fmt(value / count)}`).join(', '),
    bytesIn: net('total_net_input_bytes') / count,
    bytesOut: (net('total_net_output_bytes') - monitoredBytes) / count,
    // Memory is kept by writes; a subscription or an idle gateway keeps none.
    memory: /^(subscription|one idle)/.test(unit) ? null : (memoryAfter - memoryBefore) / count,
  };
}

/** MEMORY USAGE of the keys one order owns, summed over `orders` and divided. */
async function perOrderMemory(orders: OrderView[]): Promise<string> {
  const sums = new Map<string, number>();
  for (const order of orders) {
    const keys = await scanAll(`*${order.id}*`);
    for (const key of keys) {
      const kind = key.endsWith(':changes') ? 'history list' : key.includes(':order:') ? 'order hash' : 'other';
      sums.set(kind, (sums.get(kind) ?? 0) + Number(await admin.memory('USAGE', key)));
    }
    const index = await scanAll(`*provider-order:INTERGIRO:${order.providerOrderId}`);
    for (const key of index) sums.set('provider index', (sums.get('provider index') ?? 0) + Number(await admin.memory('USAGE', key)));
  }
  return [...sums].map(([kind, bytes]) => `${kind} ${fmt(bytes / orders.length, 0)} B`).join(', ');
}

async function scanAll(pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

function fmt(value: number, digits = 1): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

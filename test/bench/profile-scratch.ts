// Scratch (not committed): profile the built gateway under one load, --cpu-prof.
import { spawn } from 'node:child_process';
import { startBenchEnvironment, AUTH_SECRET, INTERGIRO_CALLBACK_SECRET } from './support/environment.js';
import { createOrders } from './support/orders.js';
import { intergiroLinkOrder, CREATE_ORDER, READ_ORDER } from './support/documents.js';
import { openSubscribers, until } from './support/subscribers.js';
import { payAndCallBack } from './support/webhooks.js';
import { graphql } from './support/environment.js';
import { load } from './support/load.js';
import WebSocket from 'ws';
import { writeFileSync } from 'node:fs';

async function profiler(port: number) {
  const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
  const socket = new WebSocket(target!.webSocketDebuggerUrl);
  await new Promise((r) => socket.once('open', r));
  let id = 0;
  const pending = new Map<number, (v: any) => void>();
  socket.on('message', (data) => { const m = JSON.parse(data.toString()); if (m.id && pending.has(m.id)) { pending.get(m.id)!(m.result); pending.delete(m.id); } });
  const send = (method: string, params = {}) => new Promise<any>((resolve) => { const n = ++id; pending.set(n, resolve); socket.send(JSON.stringify({ id: n, method, params })); });
  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 100 });
  return {
    start: () => send('Profiler.start'),
    stop: async (name: string) => { const { profile } = await send('Profiler.stop'); writeFileSync(`/tmp/prof/${name}.cpuprofile`, JSON.stringify(profile)); },
    close: () => socket.close(),
  };
}

const mode = process.argv[2] ?? 'fanout';
const env = await startBenchEnvironment();
const { intergiro } = env.sandboxes.configs;
const port = 45000 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${port}`;
const inspectPort = port + 1000;
const child = spawn(process.execPath, [`--inspect=127.0.0.1:${inspectPort}`, process.env.TSX ? '--import=tsx' : '--enable-source-maps', process.env.TSX ? 'src/main.ts' : 'dist/main.mjs'], {
  env: { PATH: process.env.PATH ?? '', PORT: String(port), PUBLIC_URL: url, SANDBOX: '0', REDIS_URL: env.redis.url, AUTH_JWT_SECRET: AUTH_SECRET,
    INTERGIRO_URL: intergiro.url, INTERGIRO_API_KEY: intergiro.apiKey, INTERGIRO_CALLBACK_SECRET, RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
for (;;) { try { if ((await fetch(`${url}/health/ready`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 100)); }
const token = await env.token('orders:create orders:read orders:manage', 'prof');
const prof = await profiler(inspectPort);
if (mode === 'fanout') {
  for (let round = 0; round < 5; round++) {
    const [order] = await createOrders(url, token, 1, () => intergiroLinkOrder(`prof-${round}`));
    const pool = await openSubscribers({ url, token, orderIds: Array.from({ length: 1000 }, () => order!.id), perSocket: 1 });
    await pool.ready(60_000);
    await new Promise((r) => setTimeout(r, 500));
    await prof.start();
    const sent = await payAndCallBack(env.sandboxes.sandboxes.intergiro, url, order!.providerOrderId);
    await until(() => pool.watchers.every((w) => w.changes.length > 0), 60_000);
    await prof.stop(`fanout-${round}`);
    const l = pool.watchers.map((w) => w.changes[0]!.at - sent.sentAt).sort((a, b) => a - b);
    console.log('round', round, 'p50', l[500]?.toFixed(1), 'p99', l[990]?.toFixed(1), 'webhook', sent.roundTripMs.toFixed(1));
    await pool.close();
  }
} else if (mode === 'create') {
  const t: number[] = [];
  for (let i = 0; i < 100; i++) await graphql(url, token, CREATE_ORDER, { input: intergiroLinkOrder(`prof-w-${i}`) });
  await prof.start();
  for (let i = 0; i < 600; i++) { const s = performance.now(); await graphql(url, token, CREATE_ORDER, { input: intergiroLinkOrder(`prof-c-${i}`) }); t.push(performance.now() - s); }
  await prof.stop(`create${process.env.TSX ? '-tsx' : ''}`);
  t.sort((a, b) => a - b); console.log('create p50', t[300]!.toFixed(2));
} else if (mode === 'read') {
  const [order] = await createOrders(url, token, 1, () => intergiroLinkOrder('prof-read'));
  const body = JSON.stringify({ query: READ_ORDER, variables: { id: order!.id }, operationName: 'ReadOrder' });
  await load({ url: `${url}/graphql`, body, headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` }, connections: 16, seconds: 2 });
  await prof.start();
  const r = await load({ url: `${url}/graphql`, body, headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` }, connections: 16, seconds: 8 });
  await prof.stop('read');
  console.log('read', r.requestsPerSecond);
}
prof.close();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await env.close();
process.exit(0);

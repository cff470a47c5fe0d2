import { performance } from 'node:perf_hooks';
import { startRecordingProxy } from '../support/recording-proxy.js';
import { CREATE_ORDER, intergiroLinkOrder } from './support/documents.js';
import { GATEWAY_DEFAULTS, graphql, INTERGIRO_API_KEY, startBenchEnvironment } from './support/environment.js';
const env = await startBenchEnvironment();
const proxy = await startRecordingProxy(env.sandboxes.sandboxes.intergiro.url);
const runner = (process.env.RUNNER ?? 'built') as 'built' | 'tsx';
const extra: Record<string, string> = { INTERGIRO_URL: proxy.url, ...(process.env.RI ? { RECONCILE_INTERVAL_MS: process.env.RI } : {}) };
if (process.env.PROF) extra.NODE_OPTIONS = '--import /tmp/profstart.mjs';
const gateway = await env.startGateway(GATEWAY_DEFAULTS, extra, runner);
const token = await env.token('orders:create', 'bench-shop');
const n = Number(process.env.N ?? 600);
const g: number[] = []; const d: number[] = [];
const { readFileSync } = await import('node:fs');
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
let cpu0 = 0; let mon: any = null; const { spawn } = await import('node:child_process');
for (let i = 0; i < n; i++) {
  if (process.env.MON && i === n - 1) { mon = spawn('redis-cli', ['-p', String(env.redis.port), 'monitor'], { stdio: ['ignore', 'inherit', 'inherit'] }); await new Promise((r) => setTimeout(r, 300)); console.log('--- start'); }
  const before = proxy.requests.length;
  let start = performance.now();
  await graphql(gateway.url, token, CREATE_ORDER, { input: intergiroLinkOrder(`p-${Date.now()}-${i}`) });
  const via = performance.now() - start;
  const creation = proxy.requests.slice(before).find((r) => r.method === 'POST' && r.path.startsWith('/v1/order'))!;
  start = performance.now();
  const response = await fetch(`${proxy.url}${creation.path}`, { method: 'POST', headers: { authorization: `Bearer ${INTERGIRO_API_KEY}`, accept: 'application/json', 'content-type': creation.contentType ?? 'application/json' }, body: creation.body });
  await response.arrayBuffer();
  const straight = performance.now() - start;
  if (mon) { await new Promise((r) => setTimeout(r, 300)); mon.kill(); console.log('--- end'); }
  if (i === 99) cpu0 = cpu(gateway.pid);
  if (i >= 100) { g.push(via); d.push(straight); }
}
const p50 = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log(`gateway cpu ms/create ${((cpu(gateway.pid) - cpu0) / (n - 100)).toFixed(2)} harness cpu ${(process.cpuUsage().user/1000/n).toFixed(2)}`);
console.log(`gateway p50 ${p50(g).toFixed(2)} direct p50 ${p50(d).toFixed(2)} overhead ${(p50(g) - p50(d)).toFixed(2)}`);
const { execSync } = await import('node:child_process');
console.log(execSync(`redis-cli -p ${env.redis.port} info commandstats`).toString());
console.log(execSync(`redis-cli -p ${env.redis.port} info stats | grep net_input`).toString());
await gateway.stop(); await proxy.close(); await env.close();
process.exit(0);

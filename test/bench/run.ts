import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOrderBenchmark } from './create-order.bench-case.js';
import { crossInstanceBenchmark } from './cross-instance.bench-case.js';
import { fanOutBenchmark } from './fan-out.bench-case.js';
import { feedCostBenchmark } from './feed-cost.bench-case.js';
import { pollingBenchmark } from './polling.bench-case.js';
import { readBenchmark } from './read.bench-case.js';
import type { Benchmark } from './support/benchmark.js';
import { startBenchEnvironment } from './support/environment.js';
import { machineFacts } from './support/machine.js';
import { markdownTable, printTable } from './support/table.js';

/**
 * `npm run bench [-- --quick] [-- --only read,fan-out] [-- --out file]`: runs the benchmarks one
 * after another on one redis-server and one set of provider sandboxes, prints a table per
 * benchmark and writes every figure, with the machine's facts, as JSON (and the tables as
 * Markdown beside it, for the README).
 */
const BENCHMARKS: Benchmark[] = [readBenchmark, fanOutBenchmark, pollingBenchmark, createOrderBenchmark, crossInstanceBenchmark, feedCostBenchmark];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`npm run bench -- [--quick] [--only <${BENCHMARKS.map((b) => b.name).join('|')}>[,...]] [--out <file.json>]`);
  for (const benchmark of BENCHMARKS) console.log(`  ${benchmark.name.padEnd(15)} ${benchmark.description}`);
  process.exit(0);
}
const wanted = values.only?.split(',').map((name) => name.trim()).filter(Boolean);
const unknown = wanted?.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name)) ?? [];
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
const selected = wanted ? BENCHMARKS.filter((benchmark) => wanted.includes(benchmark.name)) : BENCHMARKS;
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
const outFile = values.out ?? `${resultsDir}${values.quick ? 'quick.json' : 'latest.json'}`;

const machine = { ...machineFacts(), quick: values.quick };
console.log(`Benchmarks: ${selected.map((b) => b.name).join(', ')}${values.quick ? ' (--quick: a smoke run, not figures to publish)' : ''}`);
console.log(`Machine: ${machine.cpus} x ${machine.cpuModel}, node ${machine.node}, load ${machine.loadAverage1m}`);

const env = await startBenchEnvironment();
const results: Record<string, unknown> = {};
const markdown: string[] = [];
let failed = false;
try {
  for (const benchmark of selected) {
    const started = Date.now();
    const loadBefore = loadavg()[0] ?? 0;
    try {
      const outcome = await benchmark.run({ env, quick: values.quick });
      for (const table of outcome.tables) {
        printTable(table.title, table.rows);
        markdown.push(`### ${table.title}\n\n${markdownTable(table.rows)}\n`);
      }
      results[benchmark.name] = {
        ...outcome.results,
        seconds: Math.round((Date.now() - started) / 1000),
        loadAverageBefore: Math.round(loadBefore * 100) / 100,
        loadAverageAfter: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      };
    } catch (error) {
      failed = true;
      console.error(`\n${benchmark.name} failed:`, error);
      results[benchmark.name] = { failed: error instanceof Error ? error.message : String(error) };
    }
  }
} finally {
  await env.close();
}

mkdirSync(resultsDir, { recursive: true });
writeFileSync(outFile, `${JSON.stringify({ machine, results }, null, 2)}\n`);
writeFileSync(outFile.replace(/\.json$/, '.md'), `${markdown.join('\n')}`);
console.log(`\nWritten: ${outFile} (and ${outFile.replace(/\.json$/, '.md')})`);
process.exit(failed ? 1 : 0);

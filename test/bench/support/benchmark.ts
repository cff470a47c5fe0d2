import type { BenchEnvironment } from './environment.js';

export interface BenchContext {
  env: BenchEnvironment;
  /** Short runs and fewer subscribers: a smoke run of the harness, not figures to publish. */
  quick: boolean;
}

export interface BenchTable {
  title: string;
  rows: Record<string, string | number | boolean | null>[];
}

export interface BenchOutcome {
  tables: BenchTable[];
  /** Everything measured, for results/latest.json. */
  results: Record<string, unknown>;
}

export interface Benchmark {
  name: string;
  description: string;
  run(context: BenchContext): Promise<BenchOutcome>;
}

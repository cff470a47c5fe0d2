import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReconcileSchedule } from '../store/types.js';
import { providerLabel } from './provider-label.js';
import { OperationNameSlots } from './operation-name-slots.js';
import type { Caller } from '../domain/caller.js';

export type OperationOutcome = 'success' | 'error' | 'invalid';
export type WebhookOutcome = 'accepted' | 'rejected' | 'bad_request' | 'too_large' | 'throttled' | 'failed' | 'not_found' | 'method_not_allowed' | 'other';
export type ProviderCallFailure = 'http_5xx' | 'timeout' | 'network';
export type SubscriptionTransport = 'graphql-ws' | 'sse';

export interface OperationLabels {
  /** query, mutation, subscription, or unknown (a document that did not parse). */
  type: string;
  /** The operation's name as the client sent it, or `anonymous`; see `nameLabel`. */
  name: string;
}


/** Seconds, the unit Prometheus wants; buckets from a cached read to a slow provider. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * Process metrics (CPU, memory, event loop, GC) belong to the process, not to a gateway: one
 * registry for them, created once, so several gateways in a process (tests) do not each install
 * their own GC observer and event-loop monitor.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * One gateway's Prometheus metrics, on a registry of its own (never prom-client's global one:
 * tests run several gateways in one process, and each must count only its own traffic).
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  /** Which operation names get a label of their own (operation-name-slots.ts). */
  private readonly names = new OperationNameSlots();
  private readonly operations = new Counter({
    name: 'gateway_graphql_operations_total',
    help: 'GraphQL operations executed (HTTP, SSE and graphql-ws), by type, name and outcome.',
    labelNames: ['type', 'name', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly operationSeconds = new Histogram({
    name: 'gateway_graphql_operation_duration_seconds',
    help: 'Time to execute a GraphQL operation (for a subscription: until its stream is set up).',
    labelNames: ['type', 'name'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly subscriptions = new Gauge({
    name: 'gateway_graphql_subscriptions_open',
    help: 'Subscriptions currently streaming, by transport.',
    labelNames: ['transport'] as const,
    registers: [this.registry],
  });
  private readonly providerSeconds = new Histogram({
    name: 'gateway_provider_call_duration_seconds',
    help: 'Provider HTTP calls (each attempt), by provider and outcome (2xx, 4xx, 5xx, error).',
    labelNames: ['provider', 'outcome'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly providerErrors = new Counter({
    name: 'gateway_provider_call_errors_total',
    help: 'Provider HTTP calls that failed below the provider\'s own words: a 5xx, a timeout or a network error.',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly oddities = new Counter({
    name: 'gateway_provider_oddities_total',
    help: 'Provider answers the gateway read around instead of failing: a status word it does not know (unknown_status), a listing entry it could not read and skipped (unreadable_entry).',
    labelNames: ['provider', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly webhooks = new Counter({
    name: 'gateway_webhooks_total',
    help: 'Provider callbacks received, by provider and outcome.',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  /** readCacheHit's counting per operation label set (bounded: names are, see nameLabel). */
  private readonly hitCounters = new Map<string, (seconds: number) => void>();

  private readonly readCache = new Counter({
    name: 'gateway_read_cache_total',
    help: 'order(id) reads the answer cache looked up and found: hit (served from it), stale (the order had moved on: answered afresh).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** `schedule`: where the reconciliation backlog is read, at each scrape (one cheap count). */
  constructor(schedule: ReconcileSchedule) {
    new Gauge({
      name: 'gateway_reconcile_backlog_orders',
      help: 'Orders waiting on a provider in the reconciliation schedule (all instances sharing the store).',
      registers: [this.registry],
      async collect() {
        // A store that does not answer must not fail the whole scrape: the last value stays.
        await schedule.size().then(
          (size) => this.set(size),
          () => undefined,
        );
      },
    });
    // Zero, not absent, before the first of each: a dashboard can tell "none" from "not scraped".
    for (const transport of ['graphql-ws', 'sse'] as const) this.subscriptions.set({ transport }, 0);
  }

  /**
   * The label for a client's operation name: kept when plain and among the first few hundred.
   * `caller`: the verified caller the operation runs for (`true`: verified, not known which); a
   * name first sent without one (no token, a bad one, or a document refused before its caller is
   * known) takes one of a smaller share of the slots, and so does one from a browser-grade token
   * or a `sub` that has introduced many (OperationNameSlots). Default none.
   */
  nameLabel(name: string | null | undefined, caller: Caller | boolean = false): string {
    return this.names.label(name, caller);
  }

  operation(labels: OperationLabels, outcome: OperationOutcome, seconds?: number): void {
    this.operations.inc({ ...labels, outcome });
    if (seconds !== undefined) this.operationSeconds.observe(labels, seconds);
  }

  /** Counts a subscription as open; the returned function closes it (once). */
  subscriptionOpened(transport: SubscriptionTransport): () => void {
    this.subscriptions.inc({ transport });
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.subscriptions.dec({ transport });
    };
  }

  /** `name` as the adapter spells it; labelled as the Provider enum (provider-label.ts). */
  providerCall(name: string, result: { status?: number; failure?: ProviderCallFailure }, seconds: number): void {
    const provider = providerLabel(name);
    const outcome = result.status !== undefined ? `${Math.floor(result.status / 100)}xx` : 'error';
    this.providerSeconds.observe({ provider, outcome }, seconds);
    if (result.failure) this.providerErrors.inc({ provider, reason: result.failure });
  }

  /** `name` as the adapter spells it; labelled as the Provider enum (provider-label.ts). */
  providerOddity(name: string, kind: 'unknown_status' | 'unreadable_entry'): void {
    this.oddities.inc({ provider: providerLabel(name), kind });
  }

  /** `route` is the webhook path's name (`intergiro`), labelled as the Provider enum or `unknown`. */
  webhook(route: string, outcome: WebhookOutcome): void {
    this.webhooks.inc({ provider: providerLabel(route), outcome });
  }

  /** An answer-cache lookup that found an entry (server/read-cache.ts). */
  readCacheLookup(outcome: 'hit' | 'stale'): void {
    this.readCache.inc({ outcome });
  }

  /**
   * How to count a hit of the answer cache for one operation: the hit, and the operation as a
   * success with its duration. Its label sets are looked up once, here, not on every hit: a hit
   * is the cheapest answer the gateway gives, and prom-client hashes the labels on every call.
   */
  readCacheHit(operation: { type: string; name: string | undefined }): (seconds: number) => void {
    // Only an answer to a verified caller is kept (an order(id) answer is null without one).
    const labels = { type: operation.type, name: this.nameLabel(operation.name, true) };
    const key = `${labels.type}\n${labels.name}`;
    let count = this.hitCounters.get(key);
    if (!count) {
      const hits = this.readCache.labels({ outcome: 'hit' });
      const successes = this.operations.labels({ ...labels, outcome: 'success' });
      const durations = this.operationSeconds.labels(labels);
      count = (seconds) => {
        hits.inc();
        successes.inc();
        durations.observe(seconds);
      };
      this.hitCounters.set(key, count);
    }
    return count;
  }

  readonly contentType = this.registry.contentType;

  /** The text exposition: the process's metrics, then this gateway's. */
  async render(): Promise<string> {
    return `${await processMetrics().metrics()}\n${await this.registry.metrics()}`;
  }
}

import type { Env } from './env-schema.js';

/* Trace export (OTEL_*): what the Config holds of it and how it is read from the environment. */

export interface TracingConfig {
  /** The OTLP/HTTP traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces. */
  tracesUrl: string;
  /** OTEL_SERVICE_NAME; default the package's name. */
  serviceName: string;
}

/** The service name traces carry when OTEL_SERVICE_NAME is unset: package.json's name. */
export const DEFAULT_SERVICE_NAME = 'payments-graphql-gateway';

/** OTLP/HTTP's rule: the general endpoint gets the signal's path, the per-signal one is used as is. */
export function tracingConfig(env: Env): { tracing?: TracingConfig } {
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (general ? `${general.replace(/\/$/, '')}/v1/traces` : undefined);
  return tracesUrl ? { tracing: { tracesUrl, serviceName: env.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME } } : {};
}

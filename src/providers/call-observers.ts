/**
 * The seam between provider calls and observability: `callProvider` opens one span per HTTP
 * attempt, and whoever registered (metrics, traces, the request id header) sees it. Process-wide
 * on purpose: a provider is one dependency of the process, whatever number of gateways run in it.
 */
export interface ProviderCallStart {
  provider: string;
  method: string;
  url: string;
}

export interface ProviderCallEnd {
  /** The HTTP status when the provider answered. */
  status?: number;
  /** Set when the attempt failed below HTTP (timeout, reset, unreadable body) or with a 5xx. */
  error?: unknown;
}

export interface ProviderCallSpan {
  end(result: ProviderCallEnd): void;
}

export interface ProviderCallObserver {
  /** Called as the attempt starts; may add headers to the outgoing request (e.g. x-request-id). */
  start(call: ProviderCallStart, headers: Record<string, string>): ProviderCallSpan | void;
}

const observers = new Set<ProviderCallObserver>();

/** Registers an observer; the returned function unregisters it (at gateway close). */
export function observeProviderCalls(observer: ProviderCallObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

/** Opens a span on every observer; `headers` is the outgoing request's, extended in place. */
export function startProviderCall(call: ProviderCallStart, headers: Record<string, string>): ProviderCallSpan {
  const spans: ProviderCallSpan[] = [];
  for (const observer of observers) {
    const span = observer.start(call, headers);
    if (span) spans.push(span);
  }
  return {
    end(result) {
      for (const span of spans) span.end(result);
    },
  };
}

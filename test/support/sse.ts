/** GraphQL subscriptions over SSE (POST with `accept: text/event-stream`), read as raw text. */
export interface SseReadOptions {
  /** Stop reading once this holds for the text so far; default: the first `data:` line. */
  until?: (text: string) => boolean;
  /** Run once the stream is open, for subscriptions that send nothing until something happens. */
  whenOpen?: () => Promise<unknown>;
  /** Extra request headers, e.g. a reconnecting EventSource's `Last-Event-ID`. */
  headers?: Record<string, string>;
}

const FIRST_DATA = (text: string): boolean => /data: .*\n/.test(text);

/** Opens the stream, reads until `until` (or its end), then drops it; answers the text read. */
export async function readSse(baseUrl: string, query: string, variables: Record<string, unknown>, token: string, options: SseReadOptions = {}): Promise<string> {
  const until = options.until ?? FIRST_DATA;
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}`, ...options.headers },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  let text = '';
  let opened = !options.whenOpen;
  try {
    while (!until(text)) {
      const read = reader.read();
      if (!opened) {
        opened = true;
        await new Promise((resolve) => setTimeout(resolve, 100)); // the subscription is live
        await options.whenOpen!();
      }
      const { value, done } = await read;
      if (done) break;
      text += Buffer.from(value).toString();
    }
  } finally {
    controller.abort();
  }
  return text;
}

/** The first `data:` message of an SSE subscription, parsed, with its errors' codes. */
export async function firstSseMessage(baseUrl: string, query: string, variables: Record<string, unknown>, token: string): Promise<{ data?: any; codes: string[]; messages: string[] }> {
  const text = await readSse(baseUrl, query, variables, token);
  const message = JSON.parse(/data: (\{.*\})\n/.exec(text)?.[1] ?? '{}') as { data?: unknown; errors?: { message?: string; extensions?: { code?: string } }[] };
  const errors = message.errors ?? [];
  return { data: message.data, codes: errors.map((error) => String(error.extensions?.code)), messages: errors.map((error) => String(error.message)) };
}

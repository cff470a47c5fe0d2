/**
 * HTTP plumbing every provider sandbox shares on node:http: the reply a route handler returns and
 * how it is written, size-capped request bodies read as text, JSON or a form, and route matching.
 * What a bad body is answered with is provider-shaped, so the readers take the provider's errors
 * (see `bodyReaders`) instead of knowing any error format themselves.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Larger bodies are refused before they are buffered whole. */
const MAX_BODY_BYTES = 1_000_000;

export interface Reply {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Returned by a handler that has taken over the response itself (the "timeout" fault). */
export const HANDLED = Symbol('handled');

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value), ...(headers ? { headers } : {}) };
}

export function htmlReply(status: number, body: string): Reply {
  return { status, contentType: 'text/html; charset=utf-8', body };
}

/** 303, so the browser follows with a GET whatever method the page's form used. */
export function redirectReply(location: string): Reply {
  return { status: 303, headers: { location } };
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.contentType !== undefined) headers['content-type'] = reply.contentType;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

/** The provider-shaped errors a sandbox throws for a body it cannot take. */
export interface BodyErrors {
  tooLarge(): Error;
  notJson(): Error;
}

export interface BodyReaders {
  readBody(req: IncomingMessage): Promise<string>;
  /** The body parsed as JSON, whatever its content type says. */
  readJson(req: IncomingMessage): Promise<unknown>;
  readForm(req: IncomingMessage): Promise<URLSearchParams>;
}

/** Body readers that fail with the provider's own errors. */
export function bodyReaders(errors: BodyErrors): BodyReaders {
  const readBody = async (req: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      size += buffer.length;
      if (size > MAX_BODY_BYTES) throw errors.tooLarge();
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
  return {
    readBody,
    readJson: async (req) => {
      const text = await readBody(req);
      try {
        return JSON.parse(text);
      } catch {
        throw errors.notJson();
      }
    },
    readForm: async (req) => new URLSearchParams(await readBody(req)),
  };
}

/**
 * The capture groups of `pattern` in `path`, URL-decoded (the first one always present, an
 * optional one that did not take part undefined), or undefined when the path does not match or is
 * badly encoded.
 */
export function matchPath(pattern: RegExp, path: string): [string, ...(string | undefined)[]] | undefined {
  const match = pattern.exec(path);
  const first = match?.[1];
  if (match === null || first === undefined) return undefined;
  try {
    const rest = match.slice(2).map((group) => (group === undefined ? undefined : decodeURIComponent(group)));
    return [decodeURIComponent(first), ...rest];
  } catch {
    return undefined;
  }
}

/** A substring test, so a list such as `application/json, text/plain` counts as asking for JSON. */
export function acceptsJson(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes('application/json');
}

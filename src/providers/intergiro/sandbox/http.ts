/**
 * HTTP plumbing of the Intergiro sandbox on node:http: the reply a handler returns and how it is
 * written, reading (size-capped) bodies as text, JSON or a form, and matching route paths.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { malformed } from './errors.js';
import type { IntergiroSandboxError } from './wire.js';

const MAX_BODY_BYTES = 1_000_000;

export interface Reply {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Returned by a handler that has taken over the response (the "timeout" fault). */
export const HANDLED = Symbol('handled');

export function jsonReply(status: number, value: unknown): Reply {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

export function htmlReply(status: number, body: string): Reply {
  return { status, contentType: 'text/html; charset=utf-8', body };
}

export function errorReply(error: IntergiroSandboxError): Reply {
  return jsonReply(error.status, error);
}

export function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.contentType !== undefined) headers['content-type'] = reply.contentType;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw malformed('body', 'string', 'the body is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch {
    throw malformed('body', 'JSON', 'the body is not valid JSON');
  }
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

/**
 * The capture groups of `pattern` in `path`, URL-decoded (the first one always present), or
 * undefined when the path does not match or is badly encoded.
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

export function acceptsJson(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes('application/json');
}

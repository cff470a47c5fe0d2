/**
 * HTTP plumbing of the Dintero sandbox on node:http: replies, size-capped bodies (JSON or form) and
 * route matching. Both of its servers (Orders API and Checkout) use it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from './errors.js';

const MAX_BODY_BYTES = 1_000_000;

export interface Reply {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

export const jsonReply = (status: number, value: unknown): Reply => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(value),
});

export const htmlReply = (status: number, body: string): Reply => ({ status, contentType: 'text/html; charset=utf-8', body });

export const redirectReply = (location: string): Reply => ({ status: 303, headers: { location } });

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
    if (size > MAX_BODY_BYTES) throw badRequest('the body is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON body as an object; an empty body is `{}` (void and cancel take none). */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = (await readBody(req)).trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('the body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('the body must be a JSON object');
  return value as Record<string, unknown>;
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

/** The URL-decoded capture groups of `pattern` in `path`, or undefined. */
export function matchPath(pattern: RegExp, path: string): string[] | undefined {
  const match = pattern.exec(path);
  if (match === null) return undefined;
  try {
    return match.slice(1).map((group) => decodeURIComponent(group ?? ''));
  } catch {
    return undefined;
  }
}

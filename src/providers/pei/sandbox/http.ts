/**
 * HTTP plumbing of the Pei sandbox on node:http: the reply a handler returns and how it is written,
 * size-capped bodies read as text, JSON or a form, and route matching.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidRequest } from './errors.js';

const MAX_BODY_BYTES = 1_000_000;

export interface Reply {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

/** Returned by a handler that has taken over the response (the "timeout" fault). */
export const HANDLED = Symbol('handled');

export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value), ...(headers ? { headers } : {}) };
}

export function htmlReply(status: number, body: string): Reply {
  return { status, contentType: 'text/html; charset=utf-8', body };
}

export function redirect(location: string): Reply {
  return { status: 303, headers: { location } };
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
    if (size > MAX_BODY_BYTES) throw invalidRequest('order', 'The request body is too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body; anything else is model binding failing on the whole `order` parameter. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch {
    throw invalidRequest('order', 'The request body is not valid JSON.');
  }
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

/** The capture groups of `pattern` in `path`, URL-decoded, or undefined when it does not match. */
export function matchPath(pattern: RegExp, path: string): string[] | undefined {
  const match = pattern.exec(path);
  if (match === null) return undefined;
  try {
    return match.slice(1).map((group) => (group === undefined ? '' : decodeURIComponent(group)));
  } catch {
    return undefined;
  }
}

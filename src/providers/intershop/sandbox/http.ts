/**
 * HTTP plumbing of the Intershop sandbox on node:http: replies, size-capped bodies, and the
 * media-type versioning rule of the seed (§2.1).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { malformed } from './errors.js';

const MAX_BODY_BYTES = 1_000_000;

/** Seed §2.1: the Accept header that selects the v1 order API. */
export const ORDER_V1_MEDIA_TYPE = 'application/vnd.intershop.order.v1+json';

export interface Reply {
  status: number;
  contentType?: string;
  body?: string;
  headers?: Record<string, string>;
}

export const jsonReply = (status: number, value: unknown, contentType = 'application/json;charset=UTF-8'): Reply => ({
  status,
  contentType,
  body: JSON.stringify(value),
});

export const v1Reply = (status: number, value: unknown): Reply => jsonReply(status, value, `${ORDER_V1_MEDIA_TYPE};charset=UTF-8`);

export const htmlReply = (status: number, body: string): Reply => ({ status, contentType: 'text/html; charset=utf-8', body });

export const textReply = (status: number, body: string): Reply => ({ status, contentType: 'text/plain; charset=utf-8', body });

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
    if (size > MAX_BODY_BYTES) throw malformed('The request body is too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch {
    throw malformed('The request body is not valid JSON.');
  }
}

/** A v1 request names the v1 media type in Accept; anything else (or nothing) is the legacy API. */
export function wantsV1(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes(ORDER_V1_MEDIA_TYPE);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

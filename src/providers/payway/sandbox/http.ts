/** HTTP plumbing of the Payway sandbox on node:http: replies, size-capped bodies, forms. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidParameter, PaywayFailure, type PaywaySandboxErrorBody } from './errors.js';

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

export const errorReply = (status: number, body: PaywaySandboxErrorBody): Reply => jsonReply(status, body);

export function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { ...reply.headers, ...(reply.contentType ? { 'content-type': reply.contentType } : {}) });
  res.end(reply.body);
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw invalidParameter('body', 'The body is too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Payway answers `invalid_content_type_error` for anything but JSON (its error table names it). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/json')) {
    throw new PaywayFailure(400, { code: 'invalid_content_type_error', field: null, message: 'The content type must be application/json', correlation_id: null });
  }
  const text = await readBody(req);
  try {
    return JSON.parse(text);
  } catch {
    throw invalidParameter('body', 'The body is not valid JSON');
  }
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

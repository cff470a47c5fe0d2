import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { badInput } from '../../domain/errors.js';
import type { WebhookRequest } from '../../domain/provider-port.js';
import { MAX_DECODED_EVENT_BYTES } from './event-verification-cost.js';

/**
 * The event as its sender wrote it, its `Content-Encoding` undone (gzip, deflate, br; listed in
 * the order applied, undone last first). No document shows how Payway posts an event, and an
 * HTTP client may compress what it posts (Faraday's or OkHttp's gzip on request bodies, a .NET
 * handler set to compress): the sender signs the JSON it wrote, the client compresses it on the
 * way. Round seventeen: such an event was verified and read as its compressed bytes, so it was 401
 * on every delivery (400 where the secret came as a token) and its purchase stayed PENDING though
 * Payway had charged or failed it.
 *
 * The signature is then verified over the bytes undone (what was signed); one over the compressed
 * bytes is not looked for. A coding that cannot be undone (an unknown one, bytes that are not in
 * it, or more than MAX_DECODED_EVENT_BYTES once undone) is 400: nothing is read from it.
 */
export async function decodedEventRequest(request: WebhookRequest): Promise<WebhookRequest> {
  const { 'content-encoding': encoding, ...headers } = request.headers;
  const codings = (encoding ?? '')
    .toLowerCase()
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== 'identity');
  if (!codings.length) return request;
  let body = request.body;
  try {
    for (const coding of codings.reverse()) body = await undone(coding, body);
  } catch {
    throw badInput('body', 'The event is in a content coding that cannot be undone');
  }
  return { ...request, headers, body };
}

/**
 * Events are a few KB; none is undone beyond what the webhook route reads of an uncompressed one
 * (256 KiB; it was 1 MiB, which a 1.7 KB body reached: event-verification-cost.ts).
 */
const BOUNDED = { maxOutputLength: MAX_DECODED_EVENT_BYTES };
const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const inflateRawAsync = promisify(inflateRaw);
const brotliAsync = promisify(brotliDecompress);

async function undone(coding: string, body: Buffer): Promise<Buffer> {
  if (coding === 'gzip' || coding === 'x-gzip') return gunzipAsync(body, BOUNDED);
  // RFC 9110's deflate is zlib-wrapped; some clients send it raw.
  if (coding === 'deflate') return inflateAsync(body, BOUNDED).catch(() => inflateRawAsync(body, BOUNDED));
  if (coding === 'br') return brotliAsync(body, BOUNDED);
  throw new Error(`content coding ${coding.slice(0, 40)}`);
}

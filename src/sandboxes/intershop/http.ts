/**
 * The Intershop side of the sandbox HTTP kit: ICM's JSON content types, the media-type versioning
 * rule of the seed (§2.1), and body readers that fail with ICM's "request body invalid" error.
 */
import type { IncomingMessage } from 'node:http';
import { bodyReaders, type Reply } from '../kit/http.js';
import { malformed } from './errors.js';

/** Seed §2.1: the Accept header that selects the v1 order API. */
export const ORDER_V1_MEDIA_TYPE = 'application/vnd.intershop.order.v1+json';

/** ICM writes its own content type (no space, upper-case charset), unlike the kit's jsonReply. */
export const jsonReply = (status: number, value: unknown, contentType = 'application/json;charset=UTF-8'): Reply => ({
  status,
  contentType,
  body: JSON.stringify(value),
});

export const v1Reply = (status: number, value: unknown): Reply => jsonReply(status, value, `${ORDER_V1_MEDIA_TYPE};charset=UTF-8`);

export const textReply = (status: number, body: string): Reply => ({ status, contentType: 'text/plain; charset=utf-8', body });

export const { readBody, readJson, readForm } = bodyReaders({
  tooLarge: () => malformed('The request body is too large.'),
  notJson: () => malformed('The request body is not valid JSON.'),
});

/** A v1 request names the v1 media type in Accept; anything else (or nothing) is the legacy API. */
export function wantsV1(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes(ORDER_V1_MEDIA_TYPE);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

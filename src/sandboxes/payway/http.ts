/**
 * The Payway side of the sandbox HTTP kit: Payway error replies, and body readers that fail with
 * its `invalid_parameter` / `invalid_content_type_error` answers.
 */
import type { IncomingMessage } from 'node:http';
import { bodyReaders, jsonReply, type Reply } from '../kit/http.js';
import { invalidParameter, PaywayFailure, type PaywaySandboxErrorBody } from './errors.js';

export const errorReply = (status: number, body: PaywaySandboxErrorBody): Reply => jsonReply(status, body);

const readers = bodyReaders({
  tooLarge: () => invalidParameter('body', 'The body is too large'),
  notJson: () => invalidParameter('body', 'The body is not valid JSON'),
});

export const { readForm } = readers;

/** Payway answers `invalid_content_type_error` for anything but JSON (its error table names it). */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('application/json')) {
    throw new PaywayFailure(400, { code: 'invalid_content_type_error', field: null, message: 'The content type must be application/json', correlation_id: null });
  }
  return readers.readJson(req);
}

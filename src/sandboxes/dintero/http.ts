/**
 * The Dintero side of the sandbox HTTP kit, used by both of its servers (Orders API and Checkout):
 * body readers that fail with Dintero's BAD_REQUEST, and the JSON-object body its endpoints take.
 */
import type { IncomingMessage } from 'node:http';
import { bodyReaders } from '../kit/http.js';
import { badRequest } from './errors.js';

export const { readBody, readForm } = bodyReaders({
  tooLarge: () => badRequest('the body is too large'),
  notJson: () => badRequest('the body is not valid JSON'),
});

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

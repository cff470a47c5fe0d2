/**
 * The Intergiro side of the sandbox HTTP kit: gracely error replies, and body readers that fail
 * with gracely "malformed content" errors.
 */
import { bodyReaders, jsonReply, type Reply } from '../kit/http.js';
import { malformed } from './errors.js';
import type { IntergiroSandboxError } from './wire.js';

export function errorReply(error: IntergiroSandboxError): Reply {
  return jsonReply(error.status, error);
}

export const { readBody, readJson, readForm } = bodyReaders({
  tooLarge: () => malformed('body', 'string', 'the body is too large'),
  notJson: () => malformed('body', 'JSON', 'the body is not valid JSON'),
});

import type { WebhookRequest } from '../domain/provider-port.js';
import { withinCallbackFields } from './callback-fields.js';

/**
 * A callback body's fields, for providers whose seed names the fields but not the body's form:
 * a JSON object, else form fields (`a=1&b=2`) when the body is labelled a form (or, with
 * `unlabelledForm`, not labelled at all). Undefined for an empty body, a JSON value that is no
 * object, or another body that is not JSON. More fields than a callback holds (callback-fields.ts,
 * security probe 8) are BAD_USER_INPUT: the readers after it look each field up by name.
 */
export function bodyFields(request: WebhookRequest, options: { unlabelledForm?: boolean } = {}): Record<string, unknown> | undefined {
  const text = request.body.toString('utf8').trim();
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const type = request.headers['content-type'] ?? '';
    return (type === '' && options.unlabelledForm) || /^application\/x-www-form-urlencoded\b/i.test(type) ? withinCallbackFields(Object.fromEntries(new URLSearchParams(text))) : undefined;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? withinCallbackFields(parsed as Record<string, unknown>) : undefined;
}

import type { WebhookRequest } from '../domain/provider-port.js';

/**
 * A callback body's fields, for providers whose seed names the fields but not the body's form:
 * a JSON object, else form fields (`a=1&b=2`) when the body is labelled a form (or, with
 * `unlabelledForm`, not labelled at all). Undefined for an empty body, a JSON value that is no
 * object, or another body that is not JSON.
 */
export function bodyFields(request: WebhookRequest, options: { unlabelledForm?: boolean } = {}): Record<string, unknown> | undefined {
  const text = request.body.toString('utf8').trim();
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    const type = request.headers['content-type'] ?? '';
    return (type === '' && options.unlabelledForm) || /^application\/x-www-form-urlencoded\b/i.test(type) ? Object.fromEntries(new URLSearchParams(text)) : undefined;
  }
}

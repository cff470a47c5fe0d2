/**
 * Refusals written in a 2xx body in the two standard shapes that carry neither `success` nor an
 * `error` (round twenty-three; client.ts refusalIn2xx reads those): a list of errors and nothing
 * else, `{errors: [{code, message}]}` (JSON:API's error document; GraphQL's, always with a 200),
 * and RFC 9457 problem details whose own `status` is a 4xx, `{type, title, status: 400, detail}`
 * (ASP.NET's `Ok(problem)`, a filter that writes ProblemDetails and leaves the status 200). No seed
 * shows an answer or its HTTP status. Before, such an answer was no transaction and said no
 * refusal the adapter read, so the transaction was read back, unchanged, and Dintero's no taken
 * for a yes: a refused capture or refund counted (money Dintero never moved), a refused void made
 * the order CANCELLED with the buyer's money reserved, a refused mark taken as made.
 *
 * Only what the shape says for sure is read: a problem whose `status` is a 5xx, or a "come back
 * later" (408, 425, 429), says nothing of whether the work was done, and is not read as a refusal.
 */

/** The refusal's code and words, where the body is one of those shapes; else undefined. */
export interface SaidRefusal {
  code?: string;
  message?: string;
}

const COME_BACK_LATER = new Set([408, 425, 429]);

export function refusalInStandardShape(body: object): SaidRefusal | undefined {
  return errorList(body) ?? problemDetails(body);
}

/** `{errors: [...]}`, non-empty, beside no answer of its own (`data` holding one, or an `id`). */
function errorList(body: object): SaidRefusal | undefined {
  const { errors, data, id } = body as { errors?: unknown; data?: unknown; id?: unknown };
  if (!Array.isArray(errors) || errors.length === 0 || (data !== undefined && data !== null) || (id !== undefined && id !== null)) return undefined;
  const first: unknown = errors[0];
  if (typeof first === 'string') return { message: first };
  if (first === null || typeof first !== 'object') return undefined;
  const { code, message, detail, title } = first as { code?: unknown; message?: unknown; detail?: unknown; title?: unknown };
  return { code: text(code), message: text(message) ?? text(detail) ?? text(title) };
}

/** RFC 9457: a numeric `status` of a refusal, beside a `title`, `detail` or `type` saying it. */
function problemDetails(body: object): SaidRefusal | undefined {
  const { status, title, detail, type } = body as { status?: unknown; title?: unknown; detail?: unknown; type?: unknown };
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499 || COME_BACK_LATER.has(status)) return undefined;
  if (text(title) === undefined && text(detail) === undefined && text(type) === undefined) return undefined;
  return { code: String(status), message: text(detail) ?? text(title) };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

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
 * later" (408, 425, 429), is not a refusal; it is read as that status would be (problemStatus).
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
  const status = problemStatus(body);
  if (status === undefined || status > 499 || COME_BACK_LATER.has(status)) return undefined;
  const { title, detail } = body as { title?: unknown; detail?: unknown };
  return { code: String(status), message: text(detail) ?? text(title) };
}

/**
 * The `status` of RFC 9457 problem details written in a 2xx (a numeric 4xx or 5xx beside a `title`,
 * `detail` or `type`); undefined for any other body. A transaction's or an operation's status is a
 * word, never a number, so no answer of Dintero's own is one. Round twenty-four: a problem with a
 * 5xx or a "come back later" (408, 425, 429) is read by the caller as that HTTP status would be
 * (client.ts unfinishedIn2xx); before, it was a 2xx without a transaction, so the transaction was
 * read back and, where it did not show the operation, Dintero's yes was taken: a capture Dintero
 * turned away or failed before doing it was counted, money Dintero never moved.
 */
export function problemStatus(body: object): number | undefined {
  const { status, title, detail, type } = body as { status?: unknown; title?: unknown; detail?: unknown; type?: unknown };
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) return undefined;
  if (text(title) === undefined && text(detail) === undefined && text(type) === undefined) return undefined;
  return status;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

import { idAfter } from '../location-id.js';

/**
 * The id of a draft or a session Dintero made, where its answer names it only in a `Location`
 * header (round eighteen): a REST framework answers a create with `201 Created` and the new
 * resource's URL (Spring's `ResponseEntity.created(uri)`, Rails' `head :created, location:`), the
 * body empty or without the id. The seed shows no answer to either create. Before, such a draft
 * named no id: every createOrder was PROVIDER_UNAVAILABLE, the draft left at Dintero.
 */

/**
 * The id `location` names after `collection` (`.../draft_orders/<id>`, `.../sessions/<id>`;
 * ../location-id.ts); undefined for any other Location, one that is no URL, or none. Only the
 * collection the create was made in names what it made: any other URL is not read as an id.
 */
export function idInLocation(location: string | undefined, collection: 'draft_orders' | 'sessions'): string | undefined {
  const id = idAfter(location, collection)?.trim();
  return id || undefined;
}

/**
 * A create's answer text with the id its Location names as `id`, where the body (none, or a JSON
 * object) carries none of `ownIds` (a draft's `id`; a session's `id` or `session_id`); any other
 * answer is returned as it is, to be read as before. An id in the body wins: it is the answer's own.
 */
export function withLocatedId(text: string, location: string | undefined, collection: 'draft_orders' | 'sessions', ownIds: readonly string[]): string {
  let body: Record<string, unknown>;
  if (text.trim() === '') body = {};
  else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      return text;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return text;
    body = parsed as Record<string, unknown>;
  }
  const named = ownIds.some((field) => {
    const value = body[field];
    return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
  });
  if (named) return text;
  const id = idInLocation(location, collection);
  return id === undefined ? text : JSON.stringify({ ...body, id });
}

import { oneLocation, type LocationHeader } from './redirects.js';

/**
 * The id a `Location` header names after `collection` (`.../orders/<id>`, `.../draft_orders/<id>`,
 * `.../sessions/<id>`), or undefined when it names none. Pure; one reading for every adapter that
 * takes what a provider made from the address it answered with (a `201 Created` naming the new
 * resource, a `303 See Other` or a servlet's `302` after a POST): Pei's orders (location.ts),
 * Intershop's (order-location.ts), Dintero's drafts and sessions (created-location.ts).
 *
 * Only the path is read, relative to any base: the host and prefix may be the provider's own
 * internal ones (the Intershop seed's `links.self` names `jrwilms01:10080`), and what is named is
 * read at the configured URL, never at a host an answer names. The segment before the last one
 * must be `collection` (any letter case; a trailing slash is no segment, a segment's matrix
 * parameters `;jsessionid=...` are no part of it); the id is decoded (what else an id may hold is
 * the adapter's to say). A `Location` sent more than once (oneLocation), one that is no URL, or
 * one that ends elsewhere names nothing.
 */
export function idAfter(location: LocationHeader, collection: string, options: IdAfterOptions = {}): string | undefined {
  const written = oneLocation(location);
  if (written === undefined) return undefined;
  let path: string;
  try {
    path = new URL(written, 'http://provider.invalid/').pathname;
  } catch {
    return undefined;
  }
  const raw = path.split('/');
  if (raw.at(-1) === '') raw.pop();
  const segments = raw.map((segment) => segment.split(';')[0]!);
  const named = options.spanningSegments ? segments.slice(firstAfter(segments, collection)) : idSegment(segments, collection);
  if (named.length === 0) return undefined;
  let id: string;
  try {
    id = named.map((segment) => decodeURIComponent(segment)).join('/');
  } catch {
    return undefined;
  }
  return id || undefined;
}

export interface IdAfterOptions {
  /**
   * The id may run over several segments: all the path after the first segment that is
   * `collection`, its segments decoded one by one and rejoined by `/` (an empty one between two
   * `/` is the id's too: base64 may hold `//`). A provider whose ids may
   * hold a `/` (Pei's base64 ids, round twenty-one) and whose server interpolates the id into the
   * path raw (`Created($"/api/orders/{id}")`) writes its `/` as a path separator. Without it (the
   * default), the id is the last segment alone, right after `collection`.
   */
  spanningSegments?: boolean;
}

/** The last segment, where the one before it is `collection`; else none. */
function idSegment(segments: string[], collection: string): string[] {
  if (segments.length < 2) return [];
  const [before, last] = segments.slice(-2);
  return before!.toLowerCase() === collection.toLowerCase() && last ? [last] : [];
}

/** The index after the first segment that is `collection` (the path's length where none is). */
function firstAfter(segments: string[], collection: string): number {
  const at = segments.findIndex((segment) => segment.toLowerCase() === collection.toLowerCase());
  return at < 0 ? segments.length : at + 1;
}

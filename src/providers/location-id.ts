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
export function idAfter(location: LocationHeader, collection: string): string | undefined {
  const written = oneLocation(location);
  if (written === undefined) return undefined;
  let path: string;
  try {
    path = new URL(written, 'http://provider.invalid/').pathname;
  } catch {
    return undefined;
  }
  const segments = path.split('/');
  if (segments.at(-1) === '') segments.pop();
  if (segments.length < 2) return undefined;
  const [before, last] = segments.slice(-2).map((segment) => segment.split(';')[0]!);
  if (before!.toLowerCase() !== collection.toLowerCase() || !last) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(last);
  } catch {
    return undefined;
  }
  return id || undefined;
}

import { z } from 'zod';
import { isObject } from './wire-reading.js';

/*
 * Round twenty-seven: Pei's answers in a hypermedia media type, read as the plain JSON the rest
 * of the adapter reads. The seed says "This API is a REST service", shows Submit's answer as
 * plain `{orderId}`, and shows no body for Get order, Get orders by date or Orders/Pay: a Pei
 * built on Spring HATEOAS or a .NET HAL formatter answers those in HAL (`application/hal+json`),
 * one built on JsonApiDotNetCore in JSON:API (`application/vnd.api+json`). Both are published
 * formats, so reading them is reading what they define, not a guess: a JSON:API resource object
 * is `{type, id, attributes}` (its id beside its fields, not among them); a HAL resource keeps
 * its own fields and puts related ones under `_embedded` and links under `_links`. Before, a
 * JSON:API read was unreadable (no amount at its top), so a paid order never became CAPTURED
 * and an Orders/Pay answered so was looked for in the listing as a lost answer's; a HAL listing
 * (its orders under `_embedded.orders`) was no listing at all, so a lost charge was never found;
 * and either format's "next page" (`links.next`, `_links.next`) went unseen, so an order on a
 * page the gateway was not given could be taken for one never made (the retry charges again).
 */

/** JSON:API's top-level and resource members; a resource object holds no others. */
const RESOURCE_MEMBERS = new Set(['type', 'id', 'lid', 'attributes', 'relationships', 'links', 'meta']);

/** A JSON:API resource object: `type` and `id` strings, `attributes` an object where given, nothing else. */
function isJsonApiResource(value: unknown): value is Record<string, unknown> {
  return (
    isObject(value) &&
    typeof value['type'] === 'string' &&
    typeof value['id'] === 'string' &&
    (value['attributes'] === undefined || isObject(value['attributes'])) &&
    Object.keys(value).every((key) => RESOURCE_MEMBERS.has(key))
  );
}

/** A resource object as a plain order: its attributes, its id as the order's `orderId` (unless the attributes name one). */
function fromJsonApiResource(resource: Record<string, unknown>): Record<string, unknown> {
  const attributes = isObject(resource['attributes']) ? resource['attributes'] : {};
  return 'orderId' in attributes ? { ...attributes } : { orderId: resource['id'], ...attributes };
}

/** A link as JSON:API (a URL, or a link object `{href}`) or HAL (`{href}`) writes it: its URL, or undefined where there is none. */
function linkHref(link: unknown): string | undefined {
  if (typeof link === 'string' && link.trim() !== '') return link;
  if (isObject(link) && typeof link['href'] === 'string' && link['href'].trim() !== '') return link['href'];
  return undefined;
}

/**
 * A JSON:API document's primary data as plain JSON: one resource as its order, a list of them as
 * `{data: [...]}` with the paging the document states kept where the listing reader looks for it
 * (listing-shape.ts listingLeavesOut: `next`, and `meta`'s counts such as `total`).
 */
function fromJsonApi(document: Record<string, unknown>): unknown {
  const data = document['data'];
  if (isJsonApiResource(data)) return fromJsonApiResource(data);
  if (!Array.isArray(data) || !data.every(isJsonApiResource)) return document;
  const meta = isObject(document['meta']) ? document['meta'] : {};
  const next = isObject(document['links']) ? linkHref(document['links']['next']) : undefined;
  return { ...meta, data: data.map(fromJsonApiResource), ...(next ? { next } : {}) };
}

/** Sets a field by defining it, not assigning it: a key `__proto__` in Pei's JSON stays a plain key rather than the object's prototype. */
function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A HAL resource as plain JSON: its own fields, what it embeds beside them (a field of its own
 * wins), without `_links` but for a next page's (`next`); Spring Data REST's `page` counts kept as
 * `totalCount` (its `number` is 0-based, so only the count is read). Embedded resources are read
 * so in turn (a listing's orders, each embedding its lines).
 */
function fromHal(resource: Record<string, unknown>): Record<string, unknown> {
  const { _links: links, _embedded: embedded, ...own } = resource;
  const plain: Record<string, unknown> = {};
  if (isObject(embedded)) {
    for (const [key, value] of Object.entries(embedded)) defineField(plain, key, Array.isArray(value) ? value.map(plainDocument) : plainDocument(value));
  }
  for (const [key, value] of Object.entries(own)) defineField(plain, key, value);
  const next = isObject(links) ? linkHref(links['next']) : undefined;
  if (next && !('next' in plain)) plain['next'] = next;
  const page = own['page'];
  if (isObject(page) && typeof page['totalElements'] === 'number' && !('totalCount' in plain)) {
    delete plain['page'];
    plain['totalCount'] = page['totalElements'];
  }
  return plain;
}

/** The field a JSON:API error's `source.pointer` names (`/data/attributes/expirationDate`: `expirationDate`), if any. */
function pointedField(source: unknown): string | undefined {
  if (!isObject(source) || typeof source['pointer'] !== 'string') return undefined;
  const field = source['pointer'].split('/').filter(Boolean).pop();
  return field && field !== 'data' && field !== 'attributes' ? field.replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

const textOf = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/**
 * A JSON:API error document (`{errors: [{status, title, detail, source: {pointer}}]}`) as the
 * error body the adapter reads (wire.ts PeiError): its first error's title, and its detail under
 * the field its pointer names (or as the problem's `detail` where it names none). Before, its words
 * were not read (`errors` is a list there, not ASP.NET's field map): a refusal said only "HTTP
 * 400", so a Pei refusing the JSON example's ExpirationDate form was never sent the seed table's
 * (client.ts submitOrder looks for the ExpirationDate in the refusal's words): every order refused.
 */
function fromJsonApiErrors(errors: Record<string, unknown>[]): Record<string, unknown> {
  const first = errors[0]!;
  const title = textOf(first['title']);
  const detail = textOf(first['detail']);
  const field = pointedField(first['source']);
  if (field && detail) return { ...(title ? { title } : {}), errors: { [field]: [detail] } };
  return { ...(title ? { title } : {}), ...(detail ? { detail } : {}) };
}

/** JSON:API's error object members; an error object holds no others. */
const ERROR_MEMBERS = new Set(['id', 'links', 'status', 'code', 'title', 'detail', 'source', 'meta']);
const isJsonApiError = (value: unknown): value is Record<string, unknown> =>
  isObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => ERROR_MEMBERS.has(key)) && (textOf(value['title']) !== undefined || textOf(value['detail']) !== undefined);

/**
 * An answer of Pei's as plain JSON: a JSON:API document (a top-level `data` holding resource
 * objects, or `errors` holding error objects) or a HAL resource (an object with `_links` or
 * `_embedded`) read as above; anything else as it is. Told by shape, not by the Content-Type, which a proxy may relabel (and plain JSON with
 * these members is read alike: a `data` of JSON:API resource objects is no other wrapper's).
 */
export function plainDocument(json: unknown): unknown {
  if (!isObject(json)) return json;
  if ('data' in json && (isJsonApiResource(json['data']) || (Array.isArray(json['data']) && json['data'].length > 0 && json['data'].every(isJsonApiResource)))) return fromJsonApi(json);
  if (!('data' in json) && Array.isArray(json['errors']) && json['errors'].length > 0 && json['errors'].every(isJsonApiError)) return fromJsonApiErrors(json['errors']);
  // An empty page of a HAL collection: Spring HATEOAS writes no `_embedded` without content, only
  // its links and `page` counting no elements. Before, it was no listing at all (orders(filter)
  // for an empty day failed).
  const page = json['page'];
  if (!('_embedded' in json) && isObject(json['_links']) && isObject(page) && page['totalElements'] === 0) return [];
  if (isObject(json['_embedded']) || isObject(json['_links'])) return fromHal(json);
  return json;
}

/** `schema` reading an answer as plain JSON first (plainDocument). */
export const inPlainJson = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(plainDocument, schema);

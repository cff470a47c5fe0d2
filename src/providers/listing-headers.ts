/*
 * What a listing's HTTP headers say of pages beyond the one answered. No seed shows paging, yet an
 * API answering a bare array often keeps each answer short and says so in headers: a `Link` to the
 * next page (RFC 8288, `rel="next"`), or only `X-Total-Count`. Pei (round six) and Intergiro
 * (round thirteen) read them alike.
 */

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>> | undefined;

/** A header's value as one text (repeated headers joined as HTTP joins them); '' when absent. */
export function headerText(headers: ResponseHeaders, name: string): string {
  const value = headers?.[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** The target of a `Link` header's entry whose `rel` has the token `next`, as written. */
export function nextLink(link: string): string | undefined {
  for (const match of link.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(match[2] ?? '');
    const tokens = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (tokens.includes('next')) return match[1]!.trim();
  }
  return undefined;
}

/** Whether `X-Total-Count` says the range holds more than the `carried` entries read so far. */
export function countsMoreThan(headers: ResponseHeaders, carried: number): boolean {
  const total = headerText(headers, 'x-total-count').trim();
  return /^\d+$/.test(total) && Number(total) > carried;
}

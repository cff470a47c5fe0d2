/**
 * A Payway event posted as a form (`application/x-www-form-urlencoded`), as a plain HTTP client of
 * Payway's own stack posts one (Ruby's `Net::HTTP.post_form`, a Rails `to_query`): its fields as
 * the object a JSON event would be. Nested names in Rack's brackets become nested objects
 * (`payload[order][id]=ADEPRIMO-1` is `{payload: {order: {id: "ADEPRIMO-1"}}}`), so
 * event-shape.ts reads them where it reads a JSON event's. A field given twice keeps its first
 * value; list fields (`a[]`) and names the brackets cannot nest are left out. No seed shows an
 * event's form: this is the same reading as for JSON, never a looser check (the body's signature
 * is verified over its bytes first, webhook.ts).
 *
 * `decoder` is the charset the form is labelled with where it is not UTF-8 (event-text.ts): its
 * `%XX` escapes are that charset's bytes (`URLEncoder.encode(value, "ISO-8859-1")` writes `å` as
 * `%E5`). Round seventeen: they were read as UTF-8, so such a reference came out with U+FFFD and
 * matched no purchase (PENDING for good though Payway closed it).
 */
export function formEvent(text: string, decoder?: TextDecoder): Record<string, unknown> | undefined {
  const event: Record<string, unknown> = {};
  let fields = 0;
  for (const [name, value] of decoder ? formFields(text, decoder) : new URLSearchParams(text)) {
    const path = bracketPath(name);
    if (!path) continue;
    if (place(event, path, value)) fields++;
  }
  return fields ? event : undefined;
}

/** `a[b][c]` -> [a, b, c]; undefined for a list (`a[]`) or a name the brackets do not nest. */
function bracketPath(name: string): string[] | undefined {
  const match = /^([^[\]]+)((?:\[[^[\]]+\])*)$/.exec(name);
  if (!match) return undefined;
  const inner = [...match[2]!.matchAll(/\[([^[\]]+)\]/g)].map((part) => part[1]!);
  const path = [match[1]!, ...inner];
  // Names that would reach into an object's prototype are no field of an event.
  return path.some((key) => key === '__proto__' || key === 'constructor' || key === 'prototype') ? undefined : path;
}

/** Sets `value` at `path` unless a value (or an object) is already there; whether it was set. */
function place(target: Record<string, unknown>, path: string[], value: string): boolean {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node = node[key] = {};
    else if (typeof next === 'object' && next !== null) node = next as Record<string, unknown>;
    else return false;
  }
  const last = path.at(-1)!;
  if (last in node) return false;
  node[last] = value;
  return true;
}

/**
 * A form's fields as URLSearchParams reads them, each run of `%XX` escapes decoded as bytes of
 * `decoder`'s charset; characters written as they are stay as the body's text has them.
 */
function formFields(text: string, decoder: TextDecoder): [string, string][] {
  const decoded = (part: string): string =>
    part.replace(/\+/g, ' ').replace(/(?:%[0-9a-f]{2})+/gi, (run) => decoder.decode(Uint8Array.from(run.slice(1).split('%'), (hex) => parseInt(hex, 16))));
  return text
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? [decoded(pair), ''] : [decoded(pair.slice(0, equals)), decoded(pair.slice(equals + 1))];
    });
}

/**
 * The other texts a JSON event body may have been signed as, holding the same JSON value. A Rails
 * Payway that signs `payload.to_json` (ActiveSupport escapes `&`, `<`, `>`, U+2028 and U+2029 in
 * strings as `\u0026`, `\u003c`, `\u003e`, `\u2028`, `\u2029` by default) and posts the payload
 * through a JSON middleware writing `JSON.generate` (which does not), or the other way round,
 * signs other bytes than it sends wherever a string holds one of those characters: the seed's
 * merchant_reference is "a code or an url", and an article's URL carries a query string
 * (`?utm_source=facebook&utm_medium=cpc`). Round sixteen: such an event was 401 on every delivery,
 * so the purchase placed under an URL reference stayed PENDING though Payway had closed (charged)
 * it, while events naming plain codes passed.
 *
 * Only those escapes are toggled, and a spelling is offered only when it parses to the very value
 * the body holds: a signature over it proves the secret signed what the gateway reads, nothing
 * else. Not JSON (a form, a JWT): none.
 */
const ESCAPED = /[&<>\u2028\u2029]/g;
/** `\u0026`, `\u003c`, `\u003e`, `\u2028`, `\u2029` written as escapes, not preceded by an escaping backslash. */
const UNESCAPED = /(?<!\\)((?:\\\\)*)\\u(0026|003[cCeE]|202[89])/g;

export function otherJsonSpellings(body: Buffer): Buffer[] {
  const text = body.toString('utf8');
  // Most bodies hold none of those characters, escaped or not: nothing to parse then.
  if (!/^\s*[[{]/.test(text) || !/[&<>\u2028\u2029]|\\u(?:0026|003[cCeE]|202[89])/.test(text)) return [];
  const value = jsonValue(text);
  if (value === undefined) return [];
  const escaped = text.replace(ESCAPED, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const plain = text.replace(UNESCAPED, (_match, slashes: string, code: string) => `${slashes}${String.fromCharCode(parseInt(code, 16))}`);
  return [...new Set([escaped, plain])].filter((other) => other !== text && jsonValue(other) === value).map((other) => Buffer.from(other, 'utf8'));
}

/** The JSON value a text holds, written out canonically for comparison; undefined if it is not JSON. */
function jsonValue(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return undefined;
  }
}

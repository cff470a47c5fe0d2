import { MAX_SPELLED_BYTES } from './event-verification-cost.js';

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
 * Round seventeen, the same for two more writers: one escaping every character outside ASCII
 * (Python's `json.dumps`, ensure_ascii: `\u00e5`; Ruby's `ascii_only`; Jackson's
 * ESCAPE_NON_ASCII: `\u00E5`), as a reference "vårkampanj" or a city "Ångermanland" holds them;
 * and Gson's HTML-safe default, which escapes `=` and `'` as well as `&`, `<`, `>` (an URL's
 * `?utm_source=facebook`). Such an event, signed in one spelling and posted in another, was 401
 * on every delivery, and its purchase stayed PENDING though Payway had charged or failed it.
 * Also `/` written `\/` (PHP's json_encode by default, with every character outside ASCII
 * escaped too; Java's org.json) or plain, as an URL reference holds it.
 *
 * Only escapes of those characters are toggled, and a spelling is offered only when it parses to
 * the very value the body holds: a signature over it proves the secret signed what the gateway
 * reads, nothing else. Not JSON (a form, a JWT): none. A byte order mark before the JSON is kept
 * or left out (round twenty); the JSON after it is the same value either way.
 */
const RAILS = /[&<>\u2028\u2029]/g;
const GSON = /[&<>='\u2028\u2029]/g;
const NON_ASCII = /[\u0080-\uffff]/g;
/**
 * An escape of one of those characters (Gson's set, or any above ASCII), not preceded by an
 * escaping backslash; never `\u0022` or `\u005c`, which must stay escaped.
 */
const UNESCAPED = /(?<!\\)((?:\\\\)*)\\u(0026|003[cCdDeE]|0027|(?!00[0-7])[0-9a-fA-F]{4})/g;
/** `\/`, and a plain `/`, each not preceded by an escaping backslash. */
const ESCAPED_SLASH = /(?<!\\)((?:\\\\)*)\\\//g;
const PLAIN_SLASH = /(?<!\\)((?:\\\\)*)\//g;
const slashesEscaped = (text: string): string => text.replace(PLAIN_SLASH, (_match, slashes: string) => `${slashes}\\/`);
const slashesPlain = (text: string): string => text.replace(ESCAPED_SLASH, (_match, slashes: string) => `${slashes}/`);
/** Whether a text holds any character or escape a spelling below changes. */
const TOGGLED = /[&<>='/\u0080-\uffff]|\\u(?:0026|003[cCdDeE]|0027|(?!00[0-7])[0-9a-fA-F]{4})/;

const BOM = '\uFEFF';

export function otherJsonSpellings(body: Buffer): Buffer[] {
  // Bounded so that a forged body cannot cost a dozen rewrites and parses of 256 KiB before its
  // 401; a larger body is verified as sent (event-verification-cost.ts).
  if (body.length > MAX_SPELLED_BYTES) return [];
  const text = body.toString('utf8');
  if (!text.startsWith(BOM)) return spellingsOf(text).map((other) => Buffer.from(other, 'utf8'));
  // A byte order mark before the JSON (round twenty): it is no part of the JSON text (JSON.parse
  // refuses it), so the text's other spellings are looked for after it, as signed with the mark
  // (a writer that puts it before whichever spelling it writes) and without it (a sender signing
  // its serialised text, its writer adding the mark: .NET's StreamWriter in Encoding.UTF8). Round
  // twenty: such a body signed in another spelling had none (401 on every delivery).
  const bare = text.slice(BOM.length);
  if (jsonValue(bare) === undefined) return [];
  const spellings = spellingsOf(bare);
  return [...spellings.map((other) => `${BOM}${other}`), bare, ...spellings].map((other) => Buffer.from(other, 'utf8'));
}


/** The other spellings of a JSON `text` (no byte order mark) holding the same value. */
function spellingsOf(text: string): string[] {
  // Most bodies hold none of those characters, escaped or not: nothing to parse then.
  if (!/^\s*[[{]/.test(text) || !TOGGLED.test(text)) return [];
  const value = jsonValue(text);
  if (value === undefined) return [];
  const escape = (pattern: RegExp, hex: 'lower' | 'upper' = 'lower') => text.replace(pattern, (char) => `\\u${written(char.charCodeAt(0), hex)}`);
  const plain = text.replace(UNESCAPED, (_match, slashes: string, code: string) => `${slashes}${String.fromCharCode(parseInt(code, 16))}`);
  const spellings = [
    escape(RAILS),
    plain,
    escape(GSON),
    escape(NON_ASCII),
    escape(NON_ASCII, 'upper'),
    // Plain first, then escaped the other way: a body posted in one escaping, signed in the other.
    plain.replace(NON_ASCII, (char) => `\\u${written(char.charCodeAt(0), 'lower')}`),
    plain.replace(NON_ASCII, (char) => `\\u${written(char.charCodeAt(0), 'upper')}`),
    slashesEscaped(text),
    slashesPlain(text),
    // PHP's json_encode: slashes and every character outside ASCII escaped; and undone.
    slashesEscaped(escape(NON_ASCII)),
    slashesPlain(plain),
  ];
  return [...new Set(spellings)].filter((other) => other !== text && jsonValue(other) === value);
}

const written = (code: number, hex: 'lower' | 'upper'): string => {
  const digits = code.toString(16).padStart(4, '0');
  return hex === 'upper' ? digits.toUpperCase() : digits;
};

/** The JSON value a text holds, written out canonically for comparison; undefined if it is not JSON. */
function jsonValue(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Text that leaves the gateway (a log line, a client's error or an order's infos) may quote what
 * nobody outside should read: a provider that echoes the request back, or a proxy's error page,
 * can put the gateway's API key, a bearer token, the buyer's card token or kennitala into its
 * error text, and the gateway relays a provider's words (CONTRACT §7) where CONTRACT §3 says no
 * error message carries a credential, a card token or a national id. One set of patterns, used by
 * the logger (scrubCredentials) and by everything a client is shown in a provider's words
 * (createTextScrubber: server/errors.ts for errors, the Info type for infos).
 */

/** What a provider's words may still say after scrubbing: never a secret, so the same for logs and clients. */
export type TextScrubber = (text: string) => string;

const BEARER = /Bearer\s+\S+/gi;
const BASIC = /\bBasic\s+[A-Za-z0-9+/]{8,}={0,2}/g;
const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;
/**
 * Card tokens: Intergiro's `tok_...` (the sandbox's `tok_visa_...`, `tok_3ds...`), and Adyen's
 * encrypted card fields as Payway passes them: `adyenjs_...` and the test values `test_<digits>`
 * (a card number, an expiry, a security code).
 */
const CARD_TOKEN = /\b(?:tok_[\w-]+|adyenjs_[\w$+/=.-]+|test_\d{2,}\b)/gi;
/** Secret API keys in the common `sk_live_...` / `rk_test_...` shape. */
const API_KEY = /\b(?:sk|rk)_[A-Za-z0-9_]{6,}/g;

/** Bearer tokens, JWTs, card tokens and secret API keys: what no log line or client ever reads. */
export function scrubCredentials(text: string): string {
  return text.replace(BEARER, 'Bearer [redacted]').replace(BASIC, 'Basic [redacted]').replace(JWT, '[jwt]').replace(CARD_TOKEN, '[card token]').replace(API_KEY, '[api key]');
}

/**
 * Anything that looks like a kennitala, masked to its last four digits: any run of ten digits, or
 * six and four around a hyphen or space, whatever stands next to it (a `\b` boundary would miss
 * `0102882849x` or `id:0102882849_`).
 */
export function maskNationalIds(text: string): string {
  return text.replace(/\d{6}[-\s]?(\d{4})/g, '******$1');
}

/** A UUID (a correlation or request id): its last group may hold ten digits that pass as a kennitala by chance. */
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

function maskNationalIdsOutsideUuids(text: string): string {
  let masked = '';
  let from = 0;
  for (const match of text.matchAll(UUID)) {
    masked += maskNationalIds(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return masked + maskNationalIds(text.slice(from));
}

/**
 * Long runs that read as a generated secret: 32 or more hex digits, or 32 or more base64 characters
 * mixing upper case, lower case and digits. Ids a client needs are shorter or hyphenated (UUIDs).
 */
const LONG_RUN = /[A-Za-z0-9+/_-]{32,}={0,2}/g;
function looksGenerated(run: string): boolean {
  if (/^[0-9a-f]+$/i.test(run)) return true;
  return /[0-9]/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run);
}

/** The shortest configured secret matched verbatim; shorter ones would mask ordinary words. */
const MIN_SECRET_LENGTH = 6;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The scrubbing of a provider's words before a client reads them: the gateway's own configured
 * secrets verbatim (provider keys, client secrets, the token secret: as given and URL-encoded),
 * then scrubCredentials, long generated-looking secrets, and kennitalas (masked to their last four
 * digits, as Pei's rejections always were).
 */
export function createTextScrubber(secrets: Iterable<string | undefined> = []): TextScrubber {
  const verbatim = [...new Set([...secrets].flatMap((secret) => (secret && secret.length >= MIN_SECRET_LENGTH ? [secret, encodeURIComponent(secret)] : [])))];
  // Longest first: a secret that contains another is masked whole.
  const configured = verbatim.length ? new RegExp(verbatim.sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g') : undefined;
  return (text) => {
    const withoutConfigured = configured ? text.replace(configured, '[secret]') : text;
    const withoutRuns = scrubCredentials(withoutConfigured).replace(LONG_RUN, (run) => (looksGenerated(run) ? '[secret]' : run));
    return maskNationalIdsOutsideUuids(withoutRuns);
  };
}

/**
 * Which HMAC a body signature is, from how it is written. The event signing scheme is no
 * document's (CONTRACT §6 names only PAYWAY_WEBHOOK_SECRET), and a sender picks its digest as
 * freely as its header: Ruby's `OpenSSL::HMAC.hexdigest('SHA512', ...)`, GitHub's older
 * `X-Hub-Signature: sha1=<hex>` (which many senders copied), or SHA-256 as the sandbox signs.
 * Round sixteen: only SHA-256 was computed, so an event signed with SHA-512 or SHA-1 was 401 on
 * every delivery and each pending purchase stayed PENDING though Payway had charged (or failed)
 * it. The digest is told by a `sha1=` / `sha256=` / `sha512=` prefix, else by the signature's
 * length (20, 32 or 64 bytes in hex, base64 or base64url): one HMAC per signature, never a guess
 * tried in turn. HMAC-SHA1 is still a sound MAC; what it proves is the secret, as SHA-256 does.
 */
export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';

const BY_BYTES: Readonly<Record<number, HmacAlgorithm>> = { 20: 'sha1', 32: 'sha256', 64: 'sha512' };

/** A signature's digest and its text without the prefix naming it; undefined when neither says one. */
export function spelledSignature(signature: string): { algorithm: HmacAlgorithm; text: string } | undefined {
  const prefixed = /^(sha1|sha256|sha512)=(.+)$/i.exec(signature.trim());
  if (prefixed) return { algorithm: prefixed[1]!.toLowerCase() as HmacAlgorithm, text: prefixed[2]!.trim() };
  const text = signature.trim();
  const bytes = /^[0-9a-f]+$/i.test(text) && text.length % 2 === 0 ? text.length / 2 : base64Bytes(text);
  const algorithm = bytes === undefined ? undefined : BY_BYTES[bytes];
  return algorithm ? { algorithm, text } : undefined;
}

/** How many bytes a base64 or base64url text holds; undefined when it is neither. */
function base64Bytes(text: string): number | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  return Buffer.from(text, 'base64').length;
}

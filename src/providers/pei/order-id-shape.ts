/*
 * What text may be one of Pei's ids where nothing but its shape says so: Orders/Pay's answer as a
 * bare string (wire.ts bareOrderId), a `Location` naming the made order (location.ts), the
 * postback holding the Order ID alone (webhook.ts orderIdAlone).
 *
 * Round twenty-one: the seed's ids are letters and digits (`fdfQQ33gdgWfgGoP642`, 19;
 * `ffmPoSnWFUjs0W9u45es0elUKBnpFRSf`, 32: the length of 24 random bytes in base64) and it names no
 * alphabet. A .NET Pei writing `Convert.ToBase64String(...)` ids (of random bytes, or of a Guid:
 * 22 characters and `==`) writes `+` and `/` in most of them. Before, these readings took only
 * base64url's alphabet: a bare or located id with `+`, `/` or `=` was no answer, so the purchase
 * Pei had made was looked for in a lagging listing (createOrder PROVIDER_UNAVAILABLE while the buyer
 * was charged), and a postback of the id alone was refused (400; Pei does not post again). Both
 * base64 alphabets and the padding are taken; whatever is taken is still read back from Pei (a
 * read of another id is no answer), so a wrong shape costs a read, never an order.
 */

const ID_LETTERS = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Whether `text` is shaped like a Pei id: base64 or base64url letters (padding allowed), `minLength` to 128 characters. */
export function peiIdShaped(text: string, minLength = 16): boolean {
  return text.length >= minLength && text.length <= 128 && ID_LETTERS.test(text);
}

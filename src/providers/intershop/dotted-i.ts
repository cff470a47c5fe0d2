/**
 * One of ICM's words (a status, a stop's type or exit reason, a payment's status) with the
 * Turkish `ı` / `İ` read as the ASCII `i` / `I` (round twenty-eight).
 *
 * The seed writes ASCII words and shows them made by case conversion (`"status": "Pending"` beside
 * `"statusCode": "PENDING"`; lower-case exit reasons beside upper-case enum words). On a JVM whose
 * default locale is Turkish (`-Duser.language=tr`), String#toLowerCase() without a Locale writes
 * the dotless `ı` for `I` (`REDIRECT_URLS_REQUIRED.name().toLowerCase()` is `redırect_urls_requıred`,
 * a capitalised `Redırect`), and #toUpperCase() the dotted `İ` for `i` (`PENDİNG`). No word of
 * ICM's holds a letter beyond ASCII, and these two are no other word's letters, so each such word
 * is its ASCII one. Before, a lower-cased one was an unknown word: a create's stop was unreadable
 * (the buyer never sent to the PSP's page, her SUCCESS or CANCEL refused, a pending payment read
 * as created). Ids are never passed here: they are opaque and may hold any letter (round twenty-one).
 */
export function asciiI(word: string): string {
  return word.replace(/\u0131/g, 'i').replace(/\u0130/g, 'I');
}

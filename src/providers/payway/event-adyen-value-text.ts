/**
 * An event's JSON text with every `"value"` member written as a JSON number with a fraction or an
 * exponent (`149.0`, `1.49e2`) rewritten as a string of its text (`"149.0"`); any other text as
 * it came. Round twenty-eight (round twenty-six's leftover): Adyen's notification writes an
 * amount's `value` in whole minor units, and a Payway passing the item through a float-typed
 * model may write major units as `149.0`. JSON.parse keeps no `.0`, so that value was the number
 * 149 and read as 149 minor units: the order's Info said 1.49 SEK was authorised. Written as its
 * text, it is what round twenty-six made of the same figure written as decimal text ("149.0"):
 * no amount (minor units with a zero fraction and major units cannot be told apart), never a
 * guess at the unit (event-adyen-amount.ts). Only `value` members: Adyen's amount is the one
 * figure an event carries, and ids written as numbers are read as before.
 *
 * A scan, not a parse: strings (escapes included) are stepped over, so a `"value": 1.5` inside a
 * message is left alone; a text with no such member is returned at once.
 */
export function adyenValuesAsWritten(text: string): string {
  if (!MAY_HOLD.test(text)) return text;
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      i++;
      continue;
    }
    const end = stringEnd(text, i);
    const isValueKey = text.slice(i, end) === '"value"';
    i = end;
    if (!isValueKey) continue;
    MEMBER_NUMBER.lastIndex = i;
    const member = MEMBER_NUMBER.exec(text);
    if (!member) continue;
    const number = member[1]!;
    const at = i + member[0].length - number.length;
    if (/[.eE]/.test(number)) {
      out += `${text.slice(from, at)}"${number}"`;
      from = at + number.length;
    }
    i = at + number.length;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** A `"value"` key before a number with a fraction or an exponent somewhere in the text. */
const MAY_HOLD = /"value"\s*:\s*-?\d+(?:\.\d|[eE])/;
/** After a key: the colon and a JSON number (RFC 8259's grammar; sticky). */
const MEMBER_NUMBER = /\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

/** The index just past the string that opens at `start` (its closing quote), or the text's end. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return text.length;
}

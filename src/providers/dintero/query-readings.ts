/**
 * The other readings of a callback's query, for a Dintero that writes its parameters into the
 * callback URL without encoding them (round twenty-two; round twenty-one's leftover). The seed shows
 * no callback URL at all, only that a callback comes "with the session_id and its corresponding
 * transaction". Read the standard way (URLSearchParams, the form encoding) a `+` in an id written
 * unencoded is a space and `%2F` a slash: a transaction Dintero does not know. The query cannot
 * say which way it was written, so none of these readings is believed by itself: each is only a
 * transaction id to read, and the adapter takes a read only where it names the order the callback
 * names (webhook.ts).
 *
 * The readings, each left out where it is the standard one or cannot be made:
 * - percent escapes decoded, a `+` kept (as `decodeURIComponent` reads a URL's parts);
 * - every value as written (an id holding `%2F%`, which no decoding leaves as it was).
 * Names are read the standard way: they are Dintero's and the gateway's own, never ids.
 */
export function otherQueryReadings(rawQuery: string | undefined): URLSearchParams[] {
  if (!rawQuery) return [];
  const pairs = rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair): [string, string] => {
      const at = pair.indexOf('=');
      return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    });
  const standard = new URLSearchParams(rawQuery).toString();
  const readings: URLSearchParams[] = [];
  for (const decode of [keepingPlus, (value: string) => value]) {
    const reading = new URLSearchParams();
    let readable = true;
    for (const [name, value] of pairs) {
      const decodedName = nameOf(name);
      const decodedValue = decode(value);
      if (decodedName === undefined || decodedValue === undefined) {
        readable = false;
        break;
      }
      reading.append(decodedName, decodedValue);
    }
    if (!readable) continue;
    const written = reading.toString();
    if (written !== standard && !readings.some((known) => known.toString() === written)) readings.push(reading);
  }
  return readings;
}

/** A value's percent escapes decoded, its `+` kept; undefined for a `%` that is no escape. */
function keepingPlus(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** A parameter's name as the standard reading takes it. */
function nameOf(name: string): string | undefined {
  return [...new URLSearchParams(`${name}=`).keys()][0];
}

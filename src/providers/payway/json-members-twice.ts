/*
 * Payway's purchase answers read so that a member written twice in one object says nothing
 * (round nineteen). RFC 8259 says only that names "SHOULD be unique" and that readers differ;
 * JSON.parse keeps the last. A Payway passing Adyen's answer through (as the seed's action
 * object is Adyen's own) can write one name twice: Jackson writes a declared property and the
 * same key again from an `@JsonAnyGetter` map of passed-through fields, Newtonsoft.Json likewise
 * from `[JsonExtensionData]`, Ruby's JSON.generate a Hash holding `:status` and `"status"`. The
 * seed shows no such answer; which of the two is Payway's word is not known. Read with the last
 * one winning, `{"status":"pending",...,"status":"complete"}` made the purchase CAPTURED (and an
 * `amount` written twice its total and captured amount), a guess either way. Such a member is
 * absent now, as any unreadable one: a status that is absent makes the answer unreadable (a lost
 * answer, settled by the purchase's event), an amount that is absent is none (the total is then
 * Payway's price or the stated one, with the Info saying so). The same value written twice is
 * that value, and so are two values the caller's `alike` takes for one (round twenty: a status
 * word in two spellings, client.ts).
 */

/** Whether two values of the member `name` say one thing though written differently. */
export type Alike = (name: string, first: unknown, second: unknown) => boolean;

/**
 * `text` parsed as JSON, each object without the members it names more than once with values
 * that differ (a member named twice with one value keeps it). Throws a SyntaxError where
 * JSON.parse would.
 */
export function jsonWithoutConflictingMembers(text: string, alike: Alike = () => false): unknown {
  // JSON.parse first: what it refuses is refused alike, and the reader below may trust the text.
  JSON.parse(text);
  return new Reader(text, alike).value();
}

/** A small reader of JSON already known to parse: objects keep only members named once or alike. */
class Reader {
  private at = 0;
  constructor(
    private readonly text: string,
    private readonly alike: Alike,
  ) {}

  value(): unknown {
    this.blanks();
    const char = this.text[this.at];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    const token = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    token.lastIndex = this.at;
    const found = token.exec(this.text)?.[0];
    if (found === undefined) throw new SyntaxError(`Unexpected JSON at ${this.at}`);
    this.at += found.length;
    return JSON.parse(found) as unknown;
  }

  private object(): Record<string, unknown> {
    this.at++;
    const members = new Map<string, unknown>();
    const conflicting = new Set<string>();
    this.blanks();
    if (this.text[this.at] === '}') {
      this.at++;
      return {};
    }
    for (;;) {
      this.blanks();
      const name = this.string();
      this.blanks();
      this.at++; // ':'
      const value = this.value();
      if (members.has(name) && JSON.stringify(members.get(name)) !== JSON.stringify(value) && !this.alike(name, members.get(name), value)) conflicting.add(name);
      members.set(name, value);
      this.blanks();
      if (this.text[this.at++] === '}') break;
    }
    for (const name of conflicting) members.delete(name);
    // Object.fromEntries defines `__proto__` as an own member, as JSON.parse does.
    return Object.fromEntries(members);
  }

  private array(): unknown[] {
    this.at++;
    const items: unknown[] = [];
    this.blanks();
    if (this.text[this.at] === ']') {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.blanks();
      if (this.text[this.at++] === ']') break;
    }
    return items;
  }

  private string(): string {
    const start = this.at;
    for (this.at = start + 1; this.at < this.text.length; this.at++) {
      if (this.text[this.at] === '\\') this.at++;
      else if (this.text[this.at] === '"') break;
    }
    this.at++;
    return JSON.parse(this.text.slice(start, this.at)) as string;
  }

  private blanks(): void {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at]!)) this.at++;
  }
}

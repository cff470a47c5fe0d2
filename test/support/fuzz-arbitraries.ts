import fc from 'fast-check';

/*
 * Hostile but well-typed values for every input type of the schema: each arbitrary produces what
 * GraphQL's own type system accepts for its type (so the request reaches the gateway's checks),
 * filled with what a hostile or careless client sends.
 */

const CONTROL = fc.constantFrom('\u0000', '\u0007', '\b', '\u001b[31m', '\r\n', '\u2028', '\u202e', '\ufeff', '\ud800');

/** Strings: empty, blank, control characters, every plane of unicode, injection-looking, very long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.array(CONTROL, { minLength: 1, maxLength: 5 }).map((parts) => parts.join('x')) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', ' ', '   ', 'null', 'undefined', '0', '-1', '__proto__', 'constructor', "'; DROP TABLE orders; --", '<script>alert(1)</script>', '${jndi:ldap://x}', '../../etc/passwd', '%00', '{"$ne": null}', 'ord_', '😀'.repeat(100)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 300, max: 20_000 }).map((length) => 'A'.repeat(length)) },
);

/** Decimal scalar values ("-?digits(.digits)?"): huge, negative, zero, too many decimals, leading zeros. */
export const hostileDecimal: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '-0', '0.00', '-0.01', '0.001', '1', '10.00', '19.95', '00001.50', '9007199254740993', '-9007199254740993', '1e5'.replace('e5', '00000')),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.stringMatching(/^\d{1,12}$/)).map(([whole, fraction]) => `${whole}.${fraction}`),
  fc.integer({ min: 1, max: 400 }).map((digits) => '9'.repeat(digits)),
);

/** Values the Decimal scalar itself refuses (GraphQL's own coercion error, not the gateway's). */
export const notADecimal: fc.Arbitrary<string> = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e400', '0x10', '1,50', ' 1', '', '.5', '5.', '+5', '١٢٣');

export const hostileCurrency: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('EUR', 'ISK', 'NOK', 'SEK', 'USD', 'XYZ', 'XXX', 'eur', 'EURO', 'E', 'BTC', 'JPY', 'KWD'),
  hostileString,
);

/** Date scalar values: far past, far future, epoch edges (format-valid, so GraphQL accepts them). */
export const hostileDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0000-01-01', '0001-01-01', '1970-01-01', '1969-12-31', '2000-02-29', '2038-01-19', '9999-12-31', '2026-01-01'),
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
);

export const hostileDateTime: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0001-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2026-01-01T00:00:00+14:00', '2026-01-01T00:00:00-12:00'),
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()),
);

export const hostileUrl: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('https://shop.example/ok', 'http://localhost/', 'javascript:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', '//evil.example', '/relative', 'https://', `https://x.example/${'a'.repeat(3000)}`, 'https://[::1]/', 'https://user:pass@shop.example/'),
  hostileString,
);

/** GraphQL Int: 32-bit. */
export const hostileInt: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(0, -1, 1, 2147483647, -2147483648), fc.integer({ min: -2147483648, max: 2147483647 }));

/** GraphQL Float: finite (JSON has no NaN or Infinity). */
export const hostileFloat: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 0.1, -1), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** Any JSON value but null: a null for a `JSON!` argument is a type error, which keeps GraphQL's own error (CONTRACT §2). */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 4 }).filter((value) => value !== null), fc.constantFrom({}, [], '', { type: 'challenge', data: '' }, { __proto__: { polluted: true } }, { constructor: { prototype: { polluted: true } } }));

export const optional = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arbitrary, { nil: undefined, freq: 3 });

/** Drops undefined fields (absent, not null, as a client's JSON would). */
export const defined = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

export const record = <T extends Record<string, fc.Arbitrary<unknown>>>(shape: T) => fc.record(shape).map((value) => defined(value as Record<string, unknown>));

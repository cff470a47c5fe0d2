/**
 * Issue 7: "a scan of everything logged during the test suite finds no secret, card token or
 * national id". `npm test` runs it after vitest; it reads test/.logs (see test/support/test-logs.ts)
 * and exits non-zero on any finding, printing where (file:line) and what kind, never the value.
 *
 *   tsx scripts/scan-test-logs.ts [--dir <folder>]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TEST_LOG_DIR } from '../test/support/test-logs.js';

export type FindingKind = 'secret from the test setup' | 'bearer token' | 'JWT' | 'card number' | 'card token' | 'national id';

export interface Finding {
  file: string;
  line: number;
  kind: FindingKind;
}

/**
 * Fixed secrets the tests use besides those recorded at run time (test/support/gateway.ts records
 * the auth secret and every sandbox credential, random ones included, into <pid>.secrets).
 */
const KNOWN_SECRETS = [
  'test-auth-secret-0123456789abcdef',
  'test-intergiro-key',
  'test-intergiro-callback-secret',
  'configured-callback-secret-for-sandbox',
  'sk_test_intergiro_sandbox',
  'intergiro-callback-secret',
  'payway-sandbox-test-secret',
  'payway-sandbox-test-token',
];

/**
 * The kennitalas the Pei tests send (the seed's example and one without purchase access). They
 * are not checksum-valid, so the generic check below would not know them.
 */
const KNOWN_NATIONAL_IDS = ['0102882849', '1203894569'];

const BEARER = /Bearer\s+(?!\[redacted\])[A-Za-z0-9\-._~+/]{8,}/i;
const JWT = /\beyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]*/;
/** The card tokens the tests hand to the Intergiro sandbox: `tok_<words>_<hex>` and friends. */
const CARD_TOKEN = /\btok_[A-Za-z0-9][\w-]{3,}/;
const DIGIT_RUN = /(?<!\d)\d{13,19}(?!\d)/g;
const GROUPED_PAN = /(?<![\d-])\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?(?![\d-])/g;
const TEN_DIGITS = /(?<![\d-])(\d{6})-?(\d{4})(?![\d-])/g;
/** Request ids and other UUIDs: hex whose last group may hold ten digits that pass as a kennitala by chance. */
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
/**
 * W3C trace-context ids (a log line's `traceId`, a `traceparent`): 32 or 16 lower-case hex digits,
 * random, so one in about two thousand holds ten digits that pass as a kennitala by chance. Only
 * a word with a letter in it: sixteen digits alone may be a card number.
 */
const TRACE_ID = /\b(?:[0-9a-f]{32}|[0-9a-f]{16})\b/g;
const withoutTraceIds = (line: string): string => line.replace(TRACE_ID, (word) => (/[a-f]/.test(word) ? '' : word));

function luhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** A card scheme's number: a known prefix (Visa, Mastercard, Amex, Discover, JCB, UnionPay) and Luhn. */
export function isCardNumber(digits: string): boolean {
  return digits.length >= 13 && digits.length <= 19 && /^(4|5[1-5]|2[2-7]|3[47]|35|6011|65|62)/.test(digits) && luhn(digits);
}

/** An Icelandic kennitala: DDMMYY (day + 40 for companies), check digit (weights 3,2,7,6,5,4,3,2 mod 11), century 9, 0 or 8. */
export function isKennitala(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71)) || month < 1 || month > 12) return false;
  if (!'908'.includes(digits[9]!)) return false;
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  const rest = weights.reduce((sum, weight, index) => sum + weight * Number(digits[index]), 0) % 11;
  const check = rest === 0 ? 0 : 11 - rest;
  return check !== 10 && check === Number(digits[8]);
}

/** What a line gives away, each kind at most once. */
export function scanLine(line: string, secrets: readonly string[]): FindingKind[] {
  const kinds = new Set<FindingKind>();
  if (secrets.some((secret) => line.includes(secret))) kinds.add('secret from the test setup');
  if (BEARER.test(line)) kinds.add('bearer token');
  if (JWT.test(line)) kinds.add('JWT');
  if (CARD_TOKEN.test(line)) kinds.add('card token');
  const digits = withoutTraceIds(line.replace(UUID, ''));
  for (const match of digits.matchAll(DIGIT_RUN)) if (isCardNumber(match[0])) kinds.add('card number');
  for (const match of digits.matchAll(GROUPED_PAN)) if (isCardNumber(match[0].replace(/[ -]/g, ''))) kinds.add('card number');
  for (const match of digits.matchAll(TEN_DIGITS)) {
    const id = `${match[1]}${match[2]}`;
    if (KNOWN_NATIONAL_IDS.includes(id) || isKennitala(id)) kinds.add('national id');
  }
  return [...kinds];
}

export interface ScanResult {
  findings: Finding[];
  files: number;
  lines: number;
}

/** Scans every log file in `dir` (`*.ndjson`, `*.log`) for the secrets in its `*.secrets` files and the patterns above. */
export function scanDirectory(dir: string): ScanResult {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { findings: [], files: 0, lines: 0 };
  }
  const recorded = names
    .filter((name) => name.endsWith('.secrets'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((value) => value.length >= 6);
  const secrets = [...new Set([...KNOWN_SECRETS, ...recorded])];
  const findings: Finding[] = [];
  let files = 0;
  let lines = 0;
  for (const name of names.filter((file) => file.endsWith('.ndjson') || file.endsWith('.log')).sort()) {
    files++;
    const text = readFileSync(join(dir, name), 'utf8').split('\n');
    text.forEach((line, index) => {
      if (!line) return;
      lines++;
      for (const kind of scanLine(line, secrets)) findings.push({ file: join(dir, name), line: index + 1, kind });
    });
  }
  return { findings, files, lines };
}

function main(argv: string[]): number {
  const at = argv.indexOf('--dir');
  const dir = at >= 0 && argv[at + 1] ? argv[at + 1]! : TEST_LOG_DIR;
  const { findings, files, lines } = scanDirectory(dir);
  if (files === 0) {
    // A scan that read nothing proves nothing: the suite always starts gateways that log.
    console.error(`scan-test-logs: no log files in ${dir} (run the suite first)`);
    return 1;
  }
  for (const finding of findings) console.error(`${finding.file}:${finding.line}: ${finding.kind}`);
  if (findings.length) {
    console.error(`scan-test-logs: ${findings.length} finding(s) in ${lines} lines of ${files} files`);
    return 1;
  }
  console.log(`scan-test-logs: ${lines} lines in ${files} files, no secret, card token or national id`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));

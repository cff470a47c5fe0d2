import { describe, expect, it } from 'vitest';
import { pathnameOf, UNPARSABLE_PATH } from '../../src/observability/request-path.js';

/** What the WHATWG URL parser makes of a target, or UNPARSABLE_PATH where it refuses it. */
function parsed(target: string | undefined): string {
  try {
    return new URL(target ?? '/', 'http://gateway.local').pathname;
  } catch {
    return UNPARSABLE_PATH;
  }
}

describe("a request target's pathname, without a URL parse for plain paths", () => {
  it('is what the URL parser gives, for plain and tricky targets alike, and never throws', () => {
    const targets = [
      undefined, '/', '/graphql', '/webhooks/intergiro', '/health/live', '/a//b', '/A_b-9/', '/graphql?query={a}',
      '//evil.example/graphql', '/a/../graphql', '/./graphql', '/%2e%2e/graphql', '/gr%61phql', '/a b', '/a\\b',
      '/graphql#x', '/ümlaut', '/a/%2F/b', '/..', '/graphql/.', '//@', '//:', '//[', '//a:b@/graphql',
    ];
    for (const target of targets) expect(pathnameOf(target), String(target)).toBe(parsed(target));
    expect(pathnameOf('//@')).toBe(UNPARSABLE_PATH);
  });

  it('agrees with the URL parser on random targets built from the characters that matter', () => {
    const alphabet = ['a', 'Z', '0', '_', '-', '/', '/', '.', '%', '2', 'e', '?', '#', '\\', ' ', '@', ':', '['];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const length = 1 + Math.floor(random() * 12);
      const target = `/${Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')}`;
      expect(pathnameOf(target), target).toBe(parsed(target));
    }
  });
});

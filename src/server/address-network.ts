import { isIPv6 } from 'node:net';

/**
 * The network a client address stands for in the rate limit: an IPv4 address itself (also
 * written IPv4-mapped, `::ffff:192.0.2.7`), an IPv6 address's /64. A single IPv6 host is normally
 * given a whole /64 (RFC 6177), and picks a new address in it at will (privacy addresses): counted
 * per address, one machine had 2^64 budgets.
 */
export function addressNetwork(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  const plain = address.split('%')[0]!; // a zone index (`fe80::1%eth0`) names no other network
  if (!isIPv6(plain)) return address;
  return `${groupsOf(plain).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, as lower-case hex without leading zeros. */
function groupsOf(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const part = (text: string): string[] => (text ? text.split(':').flatMap(withEmbeddedIPv4) : []);
  const front = part(head);
  const back = tail === undefined ? [] : part(tail);
  const zeros = Array.from({ length: 8 - front.length - back.length }, () => '0');
  return [...front, ...zeros, ...back].map((group) => parseInt(group, 16).toString(16));
}

/** `1.2.3.4` at the end of an IPv6 address (`::ffff:1.2.3.4`, `64:ff9b::1.2.3.4`) is two groups. */
function withEmbeddedIPv4(group: string): string[] {
  if (!group.includes('.')) return [group];
  const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

import { describe, expect, it } from 'vitest';
import { addressNetwork } from '../../src/server/address-network.js';

describe('addressNetwork (the rate limit counts an IPv6 client by its /64)', () => {
  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['::FFFF:192.0.2.7', '192.0.2.7'],
    ['2001:db8:7:9:a:b:c:d', '2001:db8:7:9::/64'],
    ['2001:0db8:0007:0009::1', '2001:db8:7:9::/64'],
    ['2001:DB8:7:9:ffff::', '2001:db8:7:9::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.7', '64:ff9b:0:0::/64'],
    ['not an address', 'not an address'],
  ])('%s -> %s', (address, network) => {
    expect(addressNetwork(address)).toBe(network);
  });

  it('puts two addresses of one /64 together and of two /64s apart', () => {
    expect(addressNetwork('2001:db8:1:2:aaaa::1')).toBe(addressNetwork('2001:db8:1:2:bbbb::2'));
    expect(addressNetwork('2001:db8:1:2::1')).not.toBe(addressNetwork('2001:db8:1:3::1'));
  });
});

import { describe, expect, it } from 'vitest';
import { addressGroup } from './client-address.js';

describe('addressGroup', () => {
  it('counts an IPv4 address as itself, mapped or not', () => {
    expect(addressGroup('203.0.113.9')).toBe('203.0.113.9');
    expect(addressGroup('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts every address of one IPv6 /64 together, however it is written', () => {
    const group = '2001:db8:0:1::/64';
    expect(addressGroup('2001:db8:0:1::1')).toBe(group);
    expect(addressGroup('2001:0db8:0000:0001:ffff:ffff:ffff:fffe')).toBe(group);
    expect(addressGroup('2001:db8::1:0:0:0:7')).toBe(group);
    expect(addressGroup('2001:db8:0:1::1%eth0')).toBe(group);
    expect(addressGroup('2001:db8:0:2::1')).not.toBe(group);
  });

  it('expands a dotted IPv4 tail and a leading ::', () => {
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
});

import { isIP } from 'node:net';

/**
 * The unit a per-address limit counts: an IPv4 address as it is (an IPv4-mapped IPv6 address
 * too), an IPv6 address by its /64. One IPv6 subscriber holds a whole /64 and can rotate
 * through it freely, so counting single IPv6 addresses would limit nobody.
 */
export function addressGroup(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1];
  if (mapped !== undefined) return mapped;
  const address = ip.split('%', 1)[0] ?? ip;
  if (isIP(address) !== 6) return ip;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros (`::` and dotted tails expanded). */
function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const groups = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => (group.includes('.') ? v4Groups(group) : [group]));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const zeros: string[] = Array.from({ length: 8 - front.length - back.length }, () => '0');
  return [...front, ...zeros, ...back].map((group) => parseInt(group, 16).toString(16));
}

function v4Groups(dotted: string): string[] {
  const [a = 0, b = 0, c = 0, d = 0] = dotted.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

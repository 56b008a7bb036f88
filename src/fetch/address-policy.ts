import { BlockList, isIP, SocketAddress } from 'node:net';

/** The kinds of address a feed reader on the open web has no business connecting to. */
export type AddressRange = 'loopback' | 'private' | 'link-local' | 'shared' | 'multicast' | 'unspecified' | 'broadcast' | 'reserved';

/** Why the fetcher may not connect to an address: the address and the range it lies in. */
export interface AddressRefusal {
  address: string;
  range: AddressRange;
  /** How the range was reached when the address embeds an IPv4 one (`NAT64 of 127.0.0.0/8`). */
  via?: string;
}

/** Decides, for each IP address a host name resolved to (or an IP literal), whether the fetcher may connect to it. */
export type AddressPolicy = (address: string) => AddressRefusal | undefined;

const RANGE_WORDS: Record<AddressRange, string> = {
  loopback: 'a loopback address',
  private: 'a private-network address',
  'link-local': 'a link-local address',
  shared: 'a carrier-grade NAT (shared) address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
};

/** Names the range of a refused address in words: `a loopback address`, `a loopback address (NAT64 of 127.0.0.0/8)`. */
export function rangeWords(refusal: AddressRefusal): string {
  return `${RANGE_WORDS[refusal.range]}${refusal.via === undefined ? '' : ` (${refusal.via})`}`;
}

// IANA IPv4 Special-Purpose Address Registry (RFC 6890 and its updates). First match wins, so the
// broadcast address is named before the reserved 240.0.0.0/4 around it.
const IPV4_RANGES: ReadonlyArray<readonly [string, number, AddressRange]> = [
  ['0.0.0.0', 8, 'unspecified'], // "this network" (RFC 791); connecting to 0.0.0.0 reaches the local host
  ['10.0.0.0', 8, 'private'], // RFC 1918
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['100.64.0.0', 10, 'shared'], // RFC 6598, carrier-grade NAT
  ['127.0.0.0', 8, 'loopback'], // RFC 1122 §3.2.1.3
  ['169.254.0.0', 16, 'link-local'], // RFC 3927; cloud metadata services live at 169.254.169.254
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // documentation (RFC 5737)
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast (RFC 7526)
  ['198.18.0.0', 15, 'reserved'], // benchmarking (RFC 2544)
  ['224.0.0.0', 4, 'multicast'], // RFC 5771
  ['255.255.255.255', 32, 'broadcast'], // RFC 919
  ['240.0.0.0', 4, 'reserved'], // RFC 1112 §4
];

// IANA IPv6 Special-Purpose Address Registry. IPv4-mapped addresses (::ffff:a.b.c.d, RFC 4291
// §2.5.5.2) need no entry: a BlockList matches them against the IPv4 ranges.
const IPV6_RANGES: ReadonlyArray<readonly [string, number, AddressRange]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved'], // IPv4-compatible, deprecated (RFC 4291 §2.5.5.1)
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64 (RFC 8215)
  ['100::', 64, 'reserved'], // discard-only (RFC 6666)
  ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo among them
  ['2001:db8::', 32, 'reserved'], // documentation (RFC 3849)
  ['fc00::', 7, 'private'], // unique local (RFC 4193)
  ['fe80::', 10, 'link-local'], // RFC 4291 §2.5.6
  ['fec0::', 10, 'private'], // site-local, deprecated (RFC 3879)
  ['ff00::', 8, 'multicast'], // RFC 4291 §2.7
];

interface Rule {
  list: BlockList;
  range: AddressRange;
  via?: string;
}

/** Writes an IPv4 network as the two 16-bit groups an IPv6 address embeds it in (6to4, RFC 3056). */
function ipv4Groups(address: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function buildRules(): { rules: Rule[]; any: BlockList } {
  const rules: Rule[] = [];
  const any = new BlockList();
  const add = (family: 'ipv4' | 'ipv6', network: string, prefix: number, range: AddressRange, via?: string): void => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    any.addSubnet(network, prefix, family);
    rules.push({ list, range, ...(via === undefined ? {} : { via }) });
  };
  for (const [network, prefix, range] of IPV4_RANGES) {
    add('ipv4', network, prefix, range);
    // The same IPv4 range reached through NAT64's well-known prefix (RFC 6052) or a 6to4 address (RFC 3056).
    add('ipv6', `64:ff9b::${network}`, 96 + prefix, range, `NAT64 of ${network}/${prefix}`);
    add('ipv6', `2002:${ipv4Groups(network)}::`, 16 + prefix, range, `6to4 of ${network}/${prefix}`);
  }
  for (const [network, prefix, range] of IPV6_RANGES) add('ipv6', network, prefix, range);
  return { rules, any };
}

// One list of every range answers the common case (a public address) in one check; the rules one
// by one only name the range of an address already known to be refused.
const { rules: RULES, any: ANY_RANGE } = buildRules();
// Global unicast (RFC 4291 §2.4), plus the two prefixes that embed a public IPv4 address.
const PUBLIC_IPV6 = new BlockList();
PUBLIC_IPV6.addSubnet('2000::', 3, 'ipv6');
PUBLIC_IPV6.addSubnet('::ffff:0:0', 96, 'ipv6');
PUBLIC_IPV6.addSubnet('64:ff9b::', 96, 'ipv6');

/**
 * Refuses every address that is not public unicast: loopback, private (RFC 1918, fc00::/7),
 * link-local, carrier-grade NAT, multicast, unspecified, broadcast and reserved ranges, also when
 * written as IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6. Anything not an IP address is refused too.
 */
export const publicAddressesOnly: AddressPolicy = (address) => {
  const family = isIP(address);
  if (family === 0) return { address, range: 'reserved' };
  // Parsed once: a BlockList given a string parses it again for every list it is checked against.
  const parsed = new SocketAddress({ address, family: family === 4 ? 'ipv4' : 'ipv6' });
  if (ANY_RANGE.check(parsed)) {
    for (const rule of RULES) {
      if (rule.list.check(parsed)) return { address, range: rule.range, ...(rule.via === undefined ? {} : { via: rule.via }) };
    }
  }
  if (family === 6 && !PUBLIC_IPV6.check(parsed)) return { address, range: 'reserved' };
  return undefined;
};

/** Allows every address (`fetch.allowPrivateNetworks`): for feeds on the reader's own network. */
export const anyAddress: AddressPolicy = () => undefined;

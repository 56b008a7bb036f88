import { describe, expect, it } from 'vitest';
import { anyAddress, publicAddressesOnly, rangeWords, type AddressRange } from '../../src/fetch/address-policy.js';
import { guardConnection } from '../../src/fetch/connect-guard.js';
import { FetchFailure } from '../../src/fetch/fetch-failure.js';

describe('publicAddressesOnly: which resolved addresses the fetcher refuses', () => {
  const refused: Array<[string, AddressRange]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::7f00:1', 'reserved'], // IPv4-compatible ::127.0.0.1
    ['64:ff9b::7f00:1', 'loopback'], // NAT64 of 127.0.0.1
    ['64:ff9b::a9fe:a9fe', 'link-local'], // NAT64 of 169.254.169.254
    ['64:ff9b:1::1', 'private'],
    ['2002:7f00:1::1', 'loopback'], // 6to4 of 127.0.0.1
    ['2002:c0a8:101::1', 'private'], // 6to4 of 192.168.1.1
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
  ];
  for (const [address, range] of refused) {
    it(`refuses ${address} as ${range}`, () => {
      expect(publicAddressesOnly(address)).toMatchObject({ address, range });
    });
  }

  const allowed = ['93.184.215.14', '8.8.8.8', '172.32.0.1', '100.128.0.1', '169.255.0.1', '223.255.255.255', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', '2a00:1450:4001:82a::200e', '2606:4700::1111'];
  for (const address of allowed) {
    it(`allows the public address ${address}`, () => {
      expect(publicAddressesOnly(address)).toBeUndefined();
    });
  }

  it('refuses what is not an IP address at all', () => {
    expect(publicAddressesOnly('localhost')).toMatchObject({ range: 'reserved' });
  });

  it('names the embedded range of NAT64 and 6to4 addresses', () => {
    expect(rangeWords(publicAddressesOnly('64:ff9b::7f00:1')!)).toBe('a loopback address (NAT64 of 127.0.0.0/8)');
    expect(rangeWords(publicAddressesOnly('169.254.169.254')!)).toBe('a link-local address');
  });

  it('anyAddress allows everything', () => {
    for (const [address] of refused) expect(anyAddress(address)).toBeUndefined();
  });
});

describe('guardConnection: IP literals in URLs, which never go through the resolver', () => {
  /** What guardConnection says of a URL under publicAddressesOnly: the refusal message, or 'allowed'. */
  function verdict(url: string): string {
    try {
      guardConnection(new URL(url), publicAddressesOnly);
      return 'allowed';
    } catch (err) {
      expect(err).toBeInstanceOf(FetchFailure);
      expect((err as FetchFailure).kind).toBe('blocked-address');
      return (err as Error).message;
    }
  }

  // WHATWG URL parsing writes every numeric IPv4 form as a dotted quad before the check sees it.
  const table: Array<[string, string]> = [
    ['http://2852039166/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://0xA9FEA9FE/', '169.254.169.254 is a link-local address'],
    ['http://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254 is a link-local address'],
    ['http://0251.0376.0251.0376/', '169.254.169.254 is a link-local address'],
    ['http://169.254.43518/', '169.254.169.254 is a link-local address'],
    ['http://127.1/', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback address'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback address'],
    ['http://017700000001/', '127.0.0.1 is a loopback address'],
    ['http://127.0.0.1./', '127.0.0.1 is a loopback address'],
    ['http://0/', '0.0.0.0 is an unspecified address'],
    ['http://[::1]/', '::1 is a loopback address'],
    ['http://[::]/', ':: is an unspecified address'],
    ['http://[::ffff:169.254.169.254]/', '::ffff:a9fe:a9fe is a link-local address'],
    ['http://[::ffff:a9fe:a9fe]/', '::ffff:a9fe:a9fe is a link-local address'],
    ['http://[0:0:0:0:0:ffff:127.0.0.1]/', '::ffff:7f00:1 is a loopback address'],
    ['http://[64:ff9b::169.254.169.254]/', '64:ff9b::a9fe:a9fe is a link-local address (NAT64 of 169.254.0.0/16)'],
    ['https://[fd00::1]:8443/feed', 'fd00::1 is a private-network address'],
    ['http://93.184.215.14/feed.xml', 'allowed'],
    ['http://[2606:4700::1111]/feed.xml', 'allowed'],
    // A host name is checked after resolution, by the guarded lookup, not here.
    ['http://localhost/', 'allowed'],
  ];
  for (const [url, expected] of table) {
    it(`${url} → ${expected}`, () => {
      expect(verdict(url)).toBe(expected);
    });
  }
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientAddressFrom,
  normaliseAddress,
  PEER_ADDRESS_HEADER,
  readPeerAddress,
  recordPeerAddresses,
  throttledAddressGroup,
  UNKNOWN_ADDRESS,
} from './client-address';

describe('clientAddressFrom', () => {
  const peer = '203.0.113.7';

  it('takes the socket address by default, whatever X-Forwarded-For the client wrote', () => {
    for (const forwardedFor of [null, '', '198.51.100.1', '198.51.100.1, 198.51.100.2', 'garbage']) {
      expect(clientAddressFrom({ peer, forwardedFor, trustedProxyHops: 0 })).toBe(peer);
    }
    expect(clientAddressFrom({ peer: undefined, forwardedFor: '198.51.100.1', trustedProxyHops: 0 })).toBe(
      UNKNOWN_ADDRESS,
    );
  });

  it('takes the entry N from the right behind N trusted proxies, never one further left', () => {
    const forwardedFor = 'spoofed-by-client, 198.51.100.9, 192.0.2.10, 192.0.2.20';
    expect(clientAddressFrom({ peer: '10.0.0.1', forwardedFor, trustedProxyHops: 1 })).toBe('192.0.2.20');
    expect(clientAddressFrom({ peer: '10.0.0.1', forwardedFor, trustedProxyHops: 2 })).toBe('192.0.2.10');
    expect(clientAddressFrom({ peer: '10.0.0.1', forwardedFor, trustedProxyHops: 3 })).toBe('198.51.100.9');
    // Fewer entries than proxies: the leftmost is what the first proxy saw.
    expect(clientAddressFrom({ peer: '10.0.0.1', forwardedFor: '192.0.2.20', trustedProxyHops: 2 })).toBe(
      '192.0.2.20',
    );
    expect(clientAddressFrom({ peer: '10.0.0.1', forwardedFor: null, trustedProxyHops: 1 })).toBe('10.0.0.1');
  });

  it.each([
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['192.0.2.1:5678', '192.0.2.1'],
    [' 192.0.2.1 ', '192.0.2.1'],
    ['not an address', UNKNOWN_ADDRESS],
    ['192.0.2.1 x', UNKNOWN_ADDRESS],
    ['', UNKNOWN_ADDRESS],
  ])('spells %j as %j', (value, expected) => {
    expect(normaliseAddress(value)).toBe(expected);
  });

  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['unknown', 'unknown'],
  ])('throttles %j as %j', (address, group) => {
    expect(throttledAddressGroup(address)).toBe(group);
  });
});

describe('recordPeerAddresses', () => {
  let server: http.Server;
  let seen: string | undefined;

  beforeAll(async () => {
    recordPeerAddresses();
    recordPeerAddresses();
    server = http.createServer((request, response) => {
      seen = readPeerAddress(request.headers[PEER_ADDRESS_HEADER] as string | undefined);
      response.end(String(request.headers[PEER_ADDRESS_HEADER]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("stamps each request with its socket's address, over any value the client sent under that name", async () => {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      headers: { [PEER_ADDRESS_HEADER]: '198.51.100.1', 'x-forwarded-for': '198.51.100.2' },
    });
    const stamped = await response.text();

    expect(seen).toBe('127.0.0.1');
    expect(stamped).not.toContain('198.51.100.1');
    expect(clientAddressFrom({ peer: seen, forwardedFor: '198.51.100.2', trustedProxyHops: 0 })).toBe(
      '127.0.0.1',
    );
  });

  it('takes no value that lacks the nonce of this process', () => {
    expect(readPeerAddress('198.51.100.1')).toBeUndefined();
    expect(readPeerAddress('00000000-0000-4000-8000-000000000000 198.51.100.1')).toBeUndefined();
    expect(readPeerAddress(null)).toBeUndefined();
  });
});

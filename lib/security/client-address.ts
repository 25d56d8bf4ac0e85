import { randomUUID } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { isIP, type Socket } from 'node:net';

/**
 * The address of the client of a request, for sign-in throttling and the sign-in record.
 *
 * Next.js gives route handlers and server actions no socket address (there is no `request.ip`). Its server
 * only fills `X-Forwarded-For` from the socket when the request has none
 * (node_modules/next/dist/server/base-server.js: `req.headers['x-forwarded-for'] ??= originalRequest.socket
 * .remoteAddress`), so a client that reaches the app directly writes that header itself. The socket's
 * address is therefore taken where Node.js announces each request, on the `http.server.request.start`
 * diagnostics channel, before the server's own 'request' handler (and so Next.js) sees it: the request gets a
 * header of ours with that address, replacing whatever the client sent under that name. The value carries a
 * random per-process nonce, so that a request that arrived before the subscription (during start-up) cannot
 * bring a value of its own.
 *
 * With TRUSTED_PROXY_HOPS = N > 0, the N proxies in front of the app each appended the address they saw to
 * `X-Forwarded-For`: the client is the entry N from the right; what lies further left was written by the
 * client and is ignored.
 */

export const PEER_ADDRESS_HEADER = 'x-sag-roam-peer-address';

/** No address could be learnt: every such request shares one throttling bucket. */
export const UNKNOWN_ADDRESS = 'unknown';

const STATE_KEY = Symbol.for('sag-roam.peer-address');
interface PeerAddressState {
  nonce: string;
  subscribed: boolean;
}
type StateHolder = typeof globalThis & { [STATE_KEY]?: PeerAddressState };

// On globalThis: instrumentation.ts and the route and action bundles are separate modules of one process.
function peerAddressState(): PeerAddressState {
  const holder = globalThis as StateHolder;
  holder[STATE_KEY] ??= { nonce: randomUUID(), subscribed: false };
  return holder[STATE_KEY];
}

/** The value of PEER_ADDRESS_HEADER that says a request came from a socket at `address`. */
export function peerAddressValue(address: string): string {
  return `${peerAddressState().nonce} ${address}`;
}

/** Starts stamping every incoming HTTP request of this process with its socket's address. Idempotent. */
export function recordPeerAddresses(): void {
  const state = peerAddressState();
  if (state.subscribed) return;
  state.subscribed = true;
  subscribe('http.server.request.start', (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const address = socket.remoteAddress;
    if (address) request.headers[PEER_ADDRESS_HEADER] = peerAddressValue(address);
    else delete request.headers[PEER_ADDRESS_HEADER];
  });
}

/** The socket address stamped by `recordPeerAddresses`, or undefined when the header is not ours. */
export function readPeerAddress(headerValue: string | null | undefined): string | undefined {
  const prefix = `${peerAddressState().nonce} `;
  if (!headerValue?.startsWith(prefix)) return undefined;
  return headerValue.slice(prefix.length) || undefined;
}

/** One spelling per address: IPv4-mapped IPv6 as IPv4, IPv6 in lower case, a port or brackets dropped. */
export function normaliseAddress(value: string | undefined): string {
  let address = value?.trim() ?? '';
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed?.[1]) address = bracketed[1];
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  if (ipv4WithPort?.[1]) address = ipv4WithPort[1];
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped?.[1]) address = mapped[1];
  const family = isIP(address);
  if (family === 4) return address;
  if (family === 6) return address.toLowerCase();
  return UNKNOWN_ADDRESS;
}

/** The client's address, from the socket or from the entry the nearest trusted proxy appended. */
export function clientAddressFrom(request: {
  /** The socket's address, as `readPeerAddress` found it. */
  peer: string | undefined;
  forwardedFor: string | null | undefined;
  trustedProxyHops: number;
}): string {
  if (request.trustedProxyHops <= 0) return normaliseAddress(request.peer);
  const entries = (request.forwardedFor ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  // Fewer entries than proxies: the request passed fewer proxies than configured; the leftmost is the
  // address the first of them saw.
  const chosen = entries[Math.max(0, entries.length - request.trustedProxyHops)];
  return normaliseAddress(chosen ?? request.peer);
}

/** The eight 16-bit groups of an IPv6 address (as normaliseAddress spells it), or null. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.split('%')[0] ?? address;
  const embedded = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (embedded) {
    const [a, b, c, d] = embedded.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, embedded.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const groups = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 ? groups : null;
}

/**
 * The part of an address that throttling counts: an IPv4 address whole, an IPv6 address by its /64 (one
 * subscriber usually holds a whole /64, and would otherwise have 2^64 fresh addresses to rotate through).
 */
export function throttledAddressGroup(address: string): string {
  const groups = ipv6Groups(address);
  if (groups)
    return `${groups
      .slice(0, 4)
      .map((group) => group.toString(16))
      .join(':')}::/64`;
  // Keys are "<address> <e-mail>": an address never holds a space.
  return address.replace(/\s/g, '').slice(0, 64) || UNKNOWN_ADDRESS;
}

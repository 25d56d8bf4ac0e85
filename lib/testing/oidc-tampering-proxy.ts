// A front for the test OpenID provider that presents itself as the issuer (its own origin) and, per mode,
// hands the relying party a broken ID token or a discovery document that names another issuer: the failure
// cases of single sign-on, with a real provider doing the sign-in behind it. Not used by the application.
//
// Everything is forwarded with the browser's own Host header, so the provider builds its endpoint URLs,
// redirects and form actions on the proxy's origin by itself, and its cookies (per host, not per port) work
// for the proxy as they do for the provider. What still names the provider is rewritten: the discovery
// document (its issuer, and jwks_uri, which points at the proxy's own key), `Location` headers, the `iss`
// parameter of the authorization response (RFC 9207, which openid-client checks against the issuer) and the
// ID token of the token endpoint's answer, re-signed with the proxy's key after the mode's change.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import {
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { listenOnLoopback } from './local-server';
import type { TestOidcProvider } from './oidc-provider';

export type TamperMode =
  /** A valid ID token, signed by the proxy, with the proxy as issuer: the flow succeeds. */
  | 'none'
  /** The ID token's `aud` is another client. */
  | 'wrong-audience'
  /** The ID token expired an hour ago (well past openid-client's 30 s tolerance). */
  | 'expired'
  /** The ID token's `iss` is the provider behind the proxy, not the issuer that discovery named. */
  | 'wrong-issuer'
  /** The ID token's signature bytes are altered. */
  | 'bad-signature'
  /** The ID token's `nonce` is not the one the relying party sent. */
  | 'wrong-nonce'
  /** Discovery's `issuer` is the provider behind the proxy, not the proxy's origin it was fetched from. */
  | 'discovery-issuer-mismatch';

export interface TamperingProxy {
  /** `http://127.0.0.1:<port>`: give this to the relying party as its issuer. */
  issuer: string;
  port: number;
  setMode(mode: TamperMode): void;
  close(): Promise<void>;
}

const DISCOVERY_PATH = '/.well-known/openid-configuration';
const JWKS_PATH = '/tampering-proxy/jwks';
const TOKEN_PATH = '/token';

export async function startTamperingProxy(options: {
  upstream: TestOidcProvider;
  port?: number;
}): Promise<TamperingProxy> {
  const { upstream } = options;
  let mode: TamperMode = 'none';
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `tampering-proxy-${randomBytes(6).toString('hex')}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };

  let origin = '';
  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      console.error('tampering proxy: request failed', error);
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end('tampering proxy failed');
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse) {
    const path = new URL(request.url ?? '/', origin).pathname;
    if (request.method === 'GET' && path === JWKS_PATH) {
      return sendJson(response, 200, { keys: [publicJwk] });
    }
    if (path === DISCOVERY_PATH) {
      const answer = await forwardBuffered(request, upstream.port);
      if (answer.status !== 200) return sendAnswer(response, answer);
      const metadata = rewriteOrigins(JSON.parse(answer.body.toString('utf8')), upstream.issuer, origin);
      metadata.issuer = mode === 'discovery-issuer-mismatch' ? upstream.issuer : origin;
      metadata.jwks_uri = `${origin}${JWKS_PATH}`;
      return sendJson(response, 200, metadata);
    }
    if (request.method === 'POST' && path === TOKEN_PATH) {
      const answer = await forwardBuffered(request, upstream.port);
      const body = answer.status === 200 ? JSON.parse(answer.body.toString('utf8')) : undefined;
      if (typeof body?.id_token !== 'string') return sendAnswer(response, answer);
      body.id_token = await tamper(body.id_token);
      return sendJson(response, 200, body, answer.headers);
    }
    return forwardStreamed(request, response);
  }

  async function tamper(idToken: string): Promise<string> {
    const claims: JWTPayload = { ...decodeJwt(idToken), iss: origin };
    const now = Math.floor(Date.now() / 1000);
    if (mode === 'wrong-audience') claims.aud = 'some-other-client';
    if (mode === 'expired') {
      Object.assign(claims, { iat: now - 7200, exp: now - 3600, auth_time: now - 7200 });
    }
    if (mode === 'wrong-issuer') claims.iss = upstream.issuer;
    if (mode === 'wrong-nonce') claims.nonce = 'a-nonce-the-client-never-sent';
    const { typ } = decodeProtectedHeader(idToken);
    const signed = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ }).sign(privateKey);
    if (mode !== 'bad-signature') return signed;
    // Flip the bits of the first signature byte: changing a base64url character could touch only the
    // padding bits of the last one and leave the signature as it was.
    const [header, payload, signature = ''] = signed.split('.');
    const bytes = base64url.decode(signature);
    bytes[0] = (bytes[0] ?? 0) ^ 0xff;
    return `${header}.${payload}.${base64url.encode(bytes)}`;
  }

  /** Pages of the sign-in and logout, as the provider sent them, with redirects kept on the proxy. */
  function forwardStreamed(request: http.IncomingMessage, response: http.ServerResponse) {
    return new Promise<void>((resolve, reject) => {
      const outgoing = http.request(
        {
          host: '127.0.0.1',
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.headers,
        },
        (incoming) => {
          const headers = { ...incoming.headers };
          if (typeof headers.location === 'string') headers.location = rewriteLocation(headers.location);
          response.writeHead(incoming.statusCode ?? 502, headers);
          incoming.pipe(response);
          incoming.on('end', resolve);
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      request.pipe(outgoing);
    });
  }

  function rewriteLocation(location: string): string {
    const moved = location.startsWith(upstream.issuer)
      ? `${origin}${location.slice(upstream.issuer.length)}`
      : location;
    const url = URL.parse(moved, origin);
    if (url?.searchParams.get('iss') !== upstream.issuer) return moved;
    url.searchParams.set('iss', origin);
    return url.href;
  }

  const port = await listenOnLoopback(server, options.port);
  origin = `http://127.0.0.1:${port}`;

  return {
    issuer: origin,
    port,
    setMode: (next) => {
      mode = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

interface BufferedAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function forwardBuffered(request: http.IncomingMessage, port: number): Promise<BufferedAnswer> {
  return new Promise((resolve, reject) => {
    // No compression, so that the JSON can be read and rewritten.
    const headers = { ...request.headers, 'accept-encoding': 'identity' };
    const outgoing = http.request(
      { host: '127.0.0.1', port, method: request.method, path: request.url, headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 502,
            headers: incoming.headers,
            body: Buffer.concat(chunks),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    request.pipe(outgoing);
  });
}

/** Every string in the document that starts with the provider's origin, moved to the proxy's. */
function rewriteOrigins(value: Record<string, unknown>, from: string, to: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) =>
    typeof item === 'string' && item.startsWith(from) ? `${to}${item.slice(from.length)}` : item,
  );
}

function sendAnswer(response: http.ServerResponse, answer: BufferedAnswer): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.IncomingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  const kept = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !['content-length', 'content-type', 'etag'].includes(name)),
  );
  response.writeHead(status, {
    ...kept,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

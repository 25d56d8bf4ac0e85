import 'server-only';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

/**
 * One HTTP exchange with a time limit, over keep-alive connections, that says precisely how it failed:
 *
 * - `not_sent`: the request was not completely handed to the network (connection refused, DNS or TLS
 *   failure, connect timeout, any error before the last byte was written). The server cannot have acted.
 * - `unknown_outcome`: the request was fully written, then the answer did not arrive complete (timeout,
 *   reset, closed). The server may have acted on it.
 *
 * "Fully written" is the ClientRequest `finish` event: the last byte was handed to the operating system.
 */

export type TransportFailureKind = 'not_sent' | 'unknown_outcome';

export type TransportFailureReason =
  | 'connect_timeout'
  | 'timeout'
  | 'connection_refused'
  | 'dns'
  | 'tls'
  | 'connection_reset'
  | 'response_too_large'
  | 'network';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: TransportFailureKind,
    readonly reason: TransportFailureReason,
    message: string,
    /** Node's system error code (ECONNREFUSED, ...), when there was one. */
    readonly systemCode?: string,
  ) {
    super(message);
  }
}

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Readonly<Record<string, string>>;
  body?: string;
  /** Limit for the whole exchange, from the call to the last byte of the answer. */
  timeoutMs: number;
  /** Limit for opening a new connection (TCP and TLS). Defaults to min(timeoutMs, 5 s). */
  connectTimeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

export interface Transport {
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Closes idle keep-alive connections. */
  close(): void;
}

export interface TransportOptions {
  /** Idle keep-alive sockets are closed after this long, before a typical server drops them (Node's is 5 s). */
  idleSocketTimeoutMs?: number;
  maxSockets?: number;
  /** Defaults to MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
}

/**
 * The largest answer read, in bytes. The largest answer of the four operations, a page of 100 accounts or the
 * region list, is a few kilobytes; past this limit the connection is destroyed rather than read to its end,
 * so an endpoint that sends without end costs neither memory nor time.
 */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

function reasonFor(error: NodeJS.ErrnoException): TransportFailureReason {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA')
    return 'dns';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'connection_reset';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)
  ) {
    return 'tls';
  }
  return 'network';
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export function createTransport(options: TransportOptions = {}): Transport {
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    timeout: options.idleSocketTimeoutMs ?? 4_000,
    maxSockets: options.maxSockets ?? 64,
  };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;

  function send(request: HttpRequest): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch {
        reject(new TransportError('not_sent', 'network', 'The endpoint URL is not valid.'));
        return;
      }
      const secure = url.protocol === 'https:';
      const connectTimeoutMs = request.connectTimeoutMs ?? Math.min(request.timeoutMs, 5_000);
      let written = false;
      let settled = false;
      let connectTimer: NodeJS.Timeout | undefined;
      let totalTimer: NodeJS.Timeout | undefined;
      const body = request.body ?? '';
      const headers = { ...request.headers, 'content-length': String(Buffer.byteLength(body)) };

      const outgoing = (secure ? https : http).request({
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname || '/'}${url.search}`,
        method: request.method,
        headers,
        agent: secure ? httpsAgent : httpAgent,
      });

      const clearTimers = () => {
        if (connectTimer) clearTimeout(connectTimer);
        if (totalTimer) clearTimeout(totalTimer);
      };

      const fail = (reason: TransportFailureReason, message: string, systemCode?: string) => {
        if (settled) return;
        settled = true;
        clearTimers();
        reject(new TransportError(written ? 'unknown_outcome' : 'not_sent', reason, message, systemCode));
        outgoing.destroy();
      };

      totalTimer = setTimeout(
        () => fail('timeout', `No complete answer within ${request.timeoutMs} ms.`),
        request.timeoutMs,
      );

      outgoing.on('socket', (socket: Socket) => {
        if (outgoing.reusedSocket || !socket.connecting) return;
        connectTimer = setTimeout(
          () => fail('connect_timeout', `Could not connect within ${connectTimeoutMs} ms.`),
          connectTimeoutMs,
        );
        socket.once(secure ? 'secureConnect' : 'connect', () => {
          if (connectTimer) clearTimeout(connectTimer);
        });
      });

      outgoing.on('finish', () => {
        written = true;
      });

      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        const reason = reasonFor(error);
        const detail = error.code ? `${error.code}` : 'network error';
        fail(reason, `The connection failed (${detail}).`, error.code);
      });

      outgoing.on('response', (response) => {
        // An answer means the server read the request, whatever 'finish' says.
        written = true;
        const chunks: Buffer[] = [];
        let size = 0;
        const tooLarge = () => {
          fail('response_too_large', `The answer is larger than ${maxResponseBytes} bytes.`);
          response.destroy();
        };
        // A declared length over the limit is refused before a byte of the body is read.
        if (Number(response.headers['content-length']) > maxResponseBytes) {
          tooLarge();
          return;
        }
        response.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > maxResponseBytes) {
            tooLarge();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimers();
          resolve({
            status: response.statusCode ?? 0,
            headers: flattenHeaders(response.headers),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        response.on('error', () =>
          fail('connection_reset', 'The connection closed before the whole answer arrived.'),
        );
        response.on('close', () => {
          if (!response.complete)
            fail('connection_reset', 'The connection closed before the whole answer arrived.');
        });
      });

      outgoing.end(body);
    });
  }

  return {
    send,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

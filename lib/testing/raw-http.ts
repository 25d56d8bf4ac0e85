// One HTTP request sent exactly as a test built it (method, path, headers, body), with no client in between
// to fix what the test broke on purpose: a tampered signature, a replayed nonce, a missing header.
import { request as httpRequest } from 'node:http';

export interface RawHttpRequest {
  method: string;
  /** Path and query, e.g. `/?RegionId=cn-hangzhou`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface RawHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function sendRawRequest(
  target: { host: string; port: number },
  raw: RawHttpRequest,
  options: { newConnection?: boolean } = {},
): Promise<RawHttpResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: target.host,
        port: target.port,
        method: raw.method,
        path: raw.path,
        // A connection of its own, closed after the answer, instead of the kept-alive global agent.
        ...(options.newConnection ? { agent: false } : {}),
        headers: { ...raw.headers, 'content-length': String(Buffer.byteLength(raw.body)) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(raw.body);
  });
}

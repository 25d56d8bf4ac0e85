import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, type LocalServer, startLocalServer } from '@/lib/testing/local-server';
import { createTransport, type Transport, TransportError } from './transport';

let server: LocalServer | undefined;
let transport: Transport | undefined;
afterEach(async () => {
  transport?.close();
  await server?.close();
  server = undefined;
  transport = undefined;
});

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof TransportError)) throw new Error(`expected a TransportError, got ${String(error)}`);
  return error;
}

describe('transport', () => {
  it('returns status, headers and body, and reuses the connection', async () => {
    server = await startLocalServer((request, response) => {
      response.writeHead(201, { 'content-type': 'text/plain', 'x-acs-request-id': 'rid' });
      response.end(`echo ${request.method} ${request.body}`);
    });
    transport = createTransport();
    const request = {
      url: `${server.url}/?a=1`,
      method: 'POST' as const,
      headers: {},
      body: 'héllo',
      timeoutMs: 2_000,
    };
    const first = await transport.send(request);
    const second = await transport.send(request);
    expect(first).toMatchObject({ status: 201, body: 'echo POST héllo' });
    expect(first.headers['x-acs-request-id']).toBe('rid');
    expect(second.status).toBe(201);
    expect(server.requests[0]?.remotePort).toBe(server.requests[1]?.remotePort);
  });

  it('classifies a refused connection as not sent', async () => {
    transport = createTransport();
    const port = await closedPort();
    const error = await failure(
      transport.send({ url: `http://127.0.0.1:${port}/`, method: 'POST', headers: {}, timeoutMs: 2_000 }),
    );
    expect(error).toMatchObject({
      kind: 'not_sent',
      reason: 'connection_refused',
      systemCode: 'ECONNREFUSED',
    });
  });

  it('classifies a timeout after the request was written as unknown outcome', async () => {
    server = await startLocalServer(() => {
      // Read the request, never answer.
    });
    transport = createTransport();
    const error = await failure(
      transport.send({ url: `${server.url}/`, method: 'POST', headers: {}, timeoutMs: 150 }),
    );
    expect(error).toMatchObject({ kind: 'unknown_outcome', reason: 'timeout' });
    expect(server.requests).toHaveLength(1);
  });

  it('classifies a connection destroyed after the request was read as unknown outcome', async () => {
    server = await startLocalServer((_request, response) => {
      response.socket?.destroy();
    });
    transport = createTransport();
    const error = await failure(
      transport.send({ url: `${server.url}/`, method: 'POST', headers: {}, timeoutMs: 2_000 }),
    );
    expect(error).toMatchObject({ kind: 'unknown_outcome', reason: 'connection_reset' });
  });

  it('classifies an answer cut in the middle as unknown outcome', async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      response.write('{"RequestId":');
      setImmediate(() => response.socket?.destroy());
    });
    transport = createTransport();
    const error = await failure(
      transport.send({ url: `${server.url}/`, method: 'POST', headers: {}, timeoutMs: 2_000 }),
    );
    expect(error.kind).toBe('unknown_outcome');
  });

  it('classifies a timeout while the request is still being written as not sent', async () => {
    // A peer that accepts the connection but never reads: a large body cannot be written completely.
    const sockets: net.Socket[] = [];
    const sink = net.createServer((socket) => {
      socket.pause();
      sockets.push(socket);
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    const { port } = sink.address() as AddressInfo;
    transport = createTransport();
    try {
      const error = await failure(
        transport.send({
          url: `http://127.0.0.1:${port}/`,
          method: 'POST',
          headers: {},
          body: 'x'.repeat(64 * 1024 * 1024),
          timeoutMs: 300,
        }),
      );
      expect(error).toMatchObject({ kind: 'not_sent', reason: 'timeout' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => sink.close(() => resolve()));
    }
  });

  it('refuses an answer larger than the limit', async () => {
    server = await startLocalServer((_request, response) => {
      response.end('y'.repeat(10_000));
    });
    transport = createTransport({ maxResponseBytes: 1_000 });
    const error = await failure(
      transport.send({ url: `${server.url}/`, method: 'GET', headers: {}, timeoutMs: 2_000 }),
    );
    expect(error).toMatchObject({ kind: 'unknown_outcome', reason: 'response_too_large' });
  });
});

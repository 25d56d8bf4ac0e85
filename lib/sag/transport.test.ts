import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, type LocalServer, startLocalServer } from '@/lib/testing/local-server';
import { createTransport, MAX_RESPONSE_BYTES, type Transport, TransportError } from './transport';

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

  it('reads at most 1 MB by default and closes a connection that sends without end', async () => {
    expect(MAX_RESPONSE_BYTES).toBe(1024 * 1024);
    let written = 0;
    let socketClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      socketClosed = resolve;
    });
    server = await startLocalServer((_request, response) => {
      response.socket?.once('close', () => socketClosed());
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'y');
      // Endless, as fast as the client reads: only the client closing the connection stops it.
      const pump = () => {
        while (!response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    transport = createTransport();
    const started = Date.now();
    const error = await failure(
      transport.send({ url: `${server.url}/`, method: 'POST', headers: {}, timeoutMs: 10_000 }),
    );
    expect(error).toMatchObject({ kind: 'unknown_outcome', reason: 'response_too_large' });
    await closed;
    expect(Date.now() - started).toBeLessThan(2_000);
    // What socket buffers hold (a few MB); a client reading on would let this grow without bound.
    expect(written).toBeLessThan(8 * MAX_RESPONSE_BYTES);
  });

  it('refuses a declared length over the limit before reading the body', async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { 'content-length': String(MAX_RESPONSE_BYTES * 4) });
      response.write('{');
    });
    transport = createTransport();
    const error = await failure(
      transport.send({ url: `${server.url}/`, method: 'POST', headers: {}, timeoutMs: 10_000 }),
    );
    expect(error).toMatchObject({ kind: 'unknown_outcome', reason: 'response_too_large' });
  });

  it('times out a body that trickles in, within the limit of the whole exchange', async () => {
    let timer: NodeJS.Timeout | undefined;
    server = await startLocalServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      // One byte every 20 ms: each arrives well within any idle timeout, the whole never does.
      timer = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(timer));
    });
    transport = createTransport();
    const started = Date.now();
    try {
      const error = await failure(
        transport.send({ url: `${server.url}/`, method: 'POST', headers: {}, timeoutMs: 300 }),
      );
      expect(error).toMatchObject({ kind: 'unknown_outcome', reason: 'timeout' });
      expect(Date.now() - started).toBeLessThan(1_500);
    } finally {
      clearInterval(timer);
    }
  });
});

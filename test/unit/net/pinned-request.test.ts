import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectionPools,
  DeliveryNetworkError,
  MAX_POOLS,
  pinnedPost,
  pinnedPostToAny,
  RESPONSE_BODY_READ_LIMIT,
} from '../../../lib/net/pinned-request.ts';

/**
 * pinnedPost against a local server on 127.0.0.1. URLs use the name `receiver.test`, which no DNS
 * resolves: a request only arrives if the pinned address is what the socket connects to.
 */

interface Received {
  method?: string;
  url?: string;
  host?: string;
  body: string;
  headers: IncomingMessage['headers'];
}

const servers: Server[] = [];
const sockets = new Set<Socket>();

afterEach(async () => {
  connectionPools.closeAll();
  for (const s of sockets) s.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

async function startServer(handler: (req: IncomingMessage, res: ServerResponse, received: Received) => void) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = {
        method: req.method,
        url: req.url,
        host: req.headers.host,
        body: Buffer.concat(chunks).toString('utf8'),
        headers: req.headers,
      };
      received.push(r);
      handler(req, res, r);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { port, received };
}

/**
 * Self-signed certificate for receiver.test (EC P-256, valid 2000-2999), made once with Python's
 * `cryptography` package for these tests only. Its key protects nothing.
 */
const RECEIVER_TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7uAKiO+nOb6EyK0x
qfEdMF8TGKhDTfqdPtOWrCFUMLmhRANCAATsAKPhfPF7SC/LvIhIXAM8XsEjQv+X
yN3pSvSbGl2cYWNn8RTnvv59Eh/VGwf62DpfhbeZDIsKH/RTuaFQg3zi
-----END PRIVATE KEY-----
`;
const RECEIVER_TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBYTCCAQegAwIBAgIUPlIr/QPy266qWD2GQpI+ktYfHDowCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNcmVjZWl2ZXIudGVzdDAgFw0wMDAxMDEwMDAwMDBaGA8yOTk5
MTIzMTAwMDAwMFowGDEWMBQGA1UEAwwNcmVjZWl2ZXIudGVzdDBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABOwAo+F88XtIL8u8iEhcAzxewSNC/5fI3elK9JsaXZxh
Y2fxFOe+/n0SH9UbB/rYOl+Ft5kMiwof9FO5oVCDfOKjLTArMBgGA1UdEQQRMA+C
DXJlY2VpdmVyLnRlc3QwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiAdXIdARQuhTE5ADrZxm2/35yzWgfqgCZ0wUoiS2P8idAIhAK79aWUjb9c38nVo
gyCJjZN2ysAzht05M61yiYPFiH2l
-----END CERTIFICATE-----
`;

async function startTlsServer() {
  const seen: { servername?: string | false | null; host?: string }[] = [];
  const server = createTlsServer({ key: RECEIVER_TEST_KEY, cert: RECEIVER_TEST_CERT }, (req, res) => {
    const socket = req.socket as TLSSocket;
    seen.push({ servername: socket.servername, host: req.headers.host });
    req.resume();
    req.on('end', () => res.writeHead(200).end('tls ok'));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return { port, seen };
}

const LOOPBACK = { address: '127.0.0.1', family: 4 };
const base = { headers: { 'Content-Type': 'application/json' }, body: '{"hello":"world"}', timeoutMs: 2000 };

describe('pinnedPost', () => {
  it('connects to the pinned address while sending the URL host name', async () => {
    const { port, received } = await startServer((_req, res) => {
      res.writeHead(202, { 'Content-Type': 'text/plain', 'X-Receiver': 'yes' }).end('accepted');
    });
    const result = await pinnedPost(new URL(`http://receiver.test:${port}/hooks/in?x=1`), LOOPBACK, {
      ...base,
      headers: { ...base.headers, 'X-Custom': 'abc' },
    });

    expect(result.status).toBe(202);
    expect(result.body).toBe('accepted');
    expect(result.headers['x-receiver']).toBe('yes');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      url: '/hooks/in?x=1',
      host: `receiver.test:${port}`,
      body: '{"hello":"world"}',
    });
    expect(received[0]!.headers['x-custom']).toBe('abc');
    expect(received[0]!.headers['content-length']).toBe(String(Buffer.byteLength(base.body)));
  });

  it('returns a redirect instead of following it', async () => {
    const { port, received } = await startServer((_req, res) => {
      res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end();
    });
    const result = await pinnedPost(new URL(`http://receiver.test:${port}/`), LOOPBACK, base);
    expect(result.status).toBe(302);
    expect(result.headers.location).toBe('http://169.254.169.254/latest/meta-data/');
    expect(received).toHaveLength(1);
  });

  it('reads at most 64 KB of the body and discards the rest', async () => {
    const { port } = await startServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('x'.repeat(200_000));
    });
    const result = await pinnedPost(new URL(`http://receiver.test:${port}/`), LOOPBACK, base);
    expect(result.status).toBe(500);
    expect(result.body).toHaveLength(RESPONSE_BODY_READ_LIMIT);
  });

  it('times out when the server never answers', async () => {
    const { port } = await startServer(() => {
      // never respond
    });
    const err = await pinnedPost(new URL(`http://receiver.test:${port}/`), LOOPBACK, {
      ...base,
      timeoutMs: 200,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryNetworkError);
    expect((err as DeliveryNetworkError).kind).toBe('timeout');
  });

  it('times out when the body trickles in slower than the budget', async () => {
    const { port } = await startServer((_req, res) => {
      res.writeHead(200);
      res.write('partial');
      // never ends
    });
    const err = await pinnedPost(new URL(`http://receiver.test:${port}/`), LOOPBACK, {
      ...base,
      timeoutMs: 200,
    }).catch((e: unknown) => e);
    expect((err as DeliveryNetworkError).kind).toBe('timeout');
  });

  it('reports a destroyed socket as a connection error', async () => {
    const { port } = await startServer((req) => {
      req.socket.destroy();
    });
    const err = await pinnedPost(new URL(`http://receiver.test:${port}/`), LOOPBACK, base).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryNetworkError);
    expect((err as DeliveryNetworkError).kind).toBe('connection');
  });

  it('reports a refused connection as a connection error', async () => {
    const { port } = await startServer(() => {});
    await new Promise<void>((r) => servers.pop()!.close(() => r()));
    const err = await pinnedPost(new URL(`http://receiver.test:${port}/`), LOOPBACK, base).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryNetworkError);
    expect((err as DeliveryNetworkError).kind).toBe('connection');
    expect((err as DeliveryNetworkError).code).toBe('ECONNREFUSED');
  });

  it('reports a TLS failure as a connection error', async () => {
    // A plain-HTTP server answering an https request: the TLS handshake fails.
    const { port } = await startServer((_req, res) => res.end('not tls'));
    const err = await pinnedPost(new URL(`https://receiver.test:${port}/`), LOOPBACK, base).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DeliveryNetworkError);
    expect((err as DeliveryNetworkError).kind).toBe('connection');
  });
  it('over https, sends SNI and checks the certificate against the host name, not the pinned IP', async () => {
    const { port, seen } = await startTlsServer();
    const result = await pinnedPost(new URL(`https://receiver.test:${port}/in`), LOOPBACK, {
      ...base,
      ca: RECEIVER_TEST_CERT,
    });
    expect(result.status).toBe(200);
    expect(result.body).toBe('tls ok');
    expect(seen).toEqual([{ servername: 'receiver.test', host: `receiver.test:${port}` }]);
  });

  it('over https, refuses a certificate that does not name the host', async () => {
    const { port } = await startTlsServer();
    const err = await pinnedPost(new URL(`https://other.test:${port}/`), LOOPBACK, {
      ...base,
      ca: RECEIVER_TEST_CERT,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryNetworkError);
    expect((err as DeliveryNetworkError).kind).toBe('connection');
    expect((err as DeliveryNetworkError).code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('over https, refuses an untrusted certificate', async () => {
    const { port } = await startTlsServer();
    const err = await pinnedPost(new URL(`https://receiver.test:${port}/`), LOOPBACK, base).catch(
      (e: unknown) => e,
    );
    expect((err as DeliveryNetworkError).kind).toBe('connection');
    expect((err as DeliveryNetworkError).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});

describe('pinnedPostToAny', () => {
  // Nothing listens on 127.0.0.2 (the server binds 127.0.0.1 only): connecting there is refused.
  const REFUSING = { address: '127.0.0.2', family: 4 };

  it('tries the next checked address when one refuses the connection', async () => {
    const { port, received } = await startServer((_req, res) => res.writeHead(204).end());
    const res = await pinnedPostToAny(new URL(`http://receiver.test:${port}/`), [REFUSING, LOOPBACK], base);
    expect(res.status).toBe(204);
    expect(received).toHaveLength(1);
  });

  it('reports the refusal when every address refuses', async () => {
    const { port } = await startServer(() => {});
    await new Promise<void>((r) => servers.pop()!.close(() => r()));
    const err = await pinnedPostToAny(
      new URL(`http://receiver.test:${port}/`),
      [REFUSING, LOOPBACK],
      base,
    ).catch((e: unknown) => e);
    expect((err as DeliveryNetworkError).code).toBe('ECONNREFUSED');
  });

  it('does not send again after a failure once connected (the receiver may have the request)', async () => {
    let hits = 0;
    const { port } = await startServer((req) => {
      hits++;
      req.socket.destroy();
    });
    const err = await pinnedPostToAny(
      new URL(`http://receiver.test:${port}/`),
      [LOOPBACK, LOOPBACK],
      base,
    ).catch((e: unknown) => e);
    expect((err as DeliveryNetworkError).kind).toBe('connection');
    expect(hits).toBe(1);
  });
});

/**
 * Keep-alive (docs/ticket-exports.md, "Connections to the receiver"): one pool per pinned address,
 * port and host name. The server numbers its connections, so a test sees which socket carried what.
 */
describe('kept-alive connections', () => {
  async function numberingServer(
    host: string,
    onRequest: (req: IncomingMessage, res: ServerResponse, seen: { conn: number; nth: number }) => void = (
      _req,
      res,
    ) => res.writeHead(200).end('ok'),
  ) {
    let connections = 0;
    let closed = 0;
    const log: { conn: number; nth: number; local: string; host?: string }[] = [];
    const server = createServer();
    server.on('connection', (s: Socket & { conn?: number; nth?: number }) => {
      s.conn = ++connections;
      s.nth = 0;
      sockets.add(s);
      s.on('close', () => {
        closed++;
        sockets.delete(s);
      });
    });
    server.on('request', (req, res) => {
      const s = req.socket as Socket & { conn: number; nth: number };
      const seen = { conn: s.conn, nth: ++s.nth };
      log.push({ ...seen, local: s.localAddress ?? '', host: req.headers.host });
      req.resume();
      req.on('end', () => onRequest(req, res, seen));
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, host, () => r()));
    const { port } = server.address() as AddressInfo;
    return { port, log, connections: () => connections, closed: () => closed };
  }

  it('a second delivery to the same address reuses the connection', async () => {
    const srv = await numberingServer('127.0.0.1');
    const url = new URL(`http://receiver.test:${srv.port}/hooks`);
    expect((await pinnedPost(url, LOOPBACK, base)).status).toBe(200);
    expect((await pinnedPost(url, LOOPBACK, base)).status).toBe(200);
    expect(srv.log.map((l) => [l.conn, l.nth])).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(srv.connections()).toBe(1);
  });

  it('a connection the server drops as it is reused: one transparent retry on a fresh one, one delivery', async () => {
    let delivered = 0;
    // Every connection's second request is dropped unanswered, as by a server closing an idle
    // connection at the moment it is reused.
    const srv = await numberingServer('127.0.0.1', (req, res, seen) => {
      if (seen.nth > 1) req.socket.destroy();
      else {
        delivered++;
        res.writeHead(200).end('ok');
      }
    });
    const url = new URL(`http://receiver.test:${srv.port}/hooks`);
    expect((await pinnedPost(url, LOOPBACK, base)).status).toBe(200);
    const second = await pinnedPost(url, LOOPBACK, base);
    expect(second.status).toBe(200);
    expect(srv.log.map((l) => [l.conn, l.nth])).toEqual([
      [1, 1],
      [1, 2],
      [2, 1],
    ]);
    expect(delivered).toBe(2);
  });

  it('retries only once: a failure of the fresh connection ends the attempt', async () => {
    let first = true;
    const srv = await numberingServer('127.0.0.1', (req, res) => {
      if (first) {
        first = false;
        res.writeHead(200).end('ok');
      } else req.socket.destroy();
    });
    const url = new URL(`http://receiver.test:${srv.port}/hooks`);
    await pinnedPost(url, LOOPBACK, base);
    const err = await pinnedPost(url, LOOPBACK, base).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryNetworkError);
    expect((err as DeliveryNetworkError).kind).toBe('connection');
    expect(srv.log).toHaveLength(3);
  });

  it('does not retry a failure on a fresh connection (the receiver may have the request)', async () => {
    const srv = await numberingServer('127.0.0.1', (req) => req.socket.destroy());
    const url = new URL(`http://receiver.test:${srv.port}/hooks`);
    const err = await pinnedPost(url, LOOPBACK, base).catch((e: unknown) => e);
    expect((err as DeliveryNetworkError).kind).toBe('connection');
    expect(srv.log).toHaveLength(1);
  });

  it('the pin holds: a socket opened for one address is never used for another, nor for another host name', async () => {
    // One server on every loopback address: the address a request arrived at is its local address.
    const srv = await numberingServer('0.0.0.0');
    const url = new URL(`http://receiver.test:${srv.port}/hooks`);
    const A = { address: '127.0.0.1', family: 4 };
    const B = { address: '127.0.0.2', family: 4 };
    await pinnedPost(url, A, base);
    await pinnedPost(url, B, base);
    await pinnedPost(url, A, base);
    await pinnedPost(url, B, base);
    await pinnedPost(new URL(`http://other.test:${srv.port}/hooks`), A, base);
    expect(srv.log.map((l) => [l.conn, l.local, l.host])).toEqual([
      [1, '127.0.0.1', `receiver.test:${srv.port}`],
      [2, '127.0.0.2', `receiver.test:${srv.port}`],
      [1, '127.0.0.1', `receiver.test:${srv.port}`],
      [2, '127.0.0.2', `receiver.test:${srv.port}`],
      [3, '127.0.0.1', `other.test:${srv.port}`],
    ]);
  });

  it('keeps at most MAX_POOLS pools; the least recently used one is closed', async () => {
    const srv = await numberingServer('127.0.0.1');
    for (let i = 0; i <= MAX_POOLS; i++) {
      await pinnedPost(new URL(`http://r${i}.test:${srv.port}/`), LOOPBACK, base);
    }
    expect(connectionPools.size()).toBe(MAX_POOLS);
    const deadline = Date.now() + 2000;
    while (srv.closed() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(srv.closed()).toBe(1);
    // The first host's pool is gone: it connects anew; the most recent one still reuses.
    await pinnedPost(new URL(`http://r0.test:${srv.port}/`), LOOPBACK, base);
    await pinnedPost(new URL(`http://r${MAX_POOLS}.test:${srv.port}/`), LOOPBACK, base);
    expect(srv.log.slice(-2).map((l) => [l.conn, l.nth])).toEqual([
      [MAX_POOLS + 2, 1],
      [MAX_POOLS + 1, 2],
    ]);
  });
});

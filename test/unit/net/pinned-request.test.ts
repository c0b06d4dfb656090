import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DeliveryNetworkError,
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

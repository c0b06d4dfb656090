import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAccount, createToken } from '../../../lib/domain/accounts.ts';
import { startTestStack } from '../../support/local-stack.ts';

type Stack = Awaited<ReturnType<typeof startTestStack>>;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A raw TCP connection to the API, so a test controls when each byte of a request is sent. */
async function openConnection(apiUrl: string): Promise<{ socket: Socket; closed: Promise<string> }> {
  const { hostname, port } = new URL(apiUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((res, rej) => {
    socket.once('connect', res);
    socket.once('error', rej);
  });
  let received = '';
  socket.on('data', (d: Buffer) => {
    received += d.toString('utf8');
  });
  // Everything the server sent, once it closed the connection (a reset counts as a close).
  const closed = new Promise<string>((res) => socket.once('close', () => res(received)));
  socket.on('error', () => {});
  return { socket, closed };
}

/** Parses exactly one HTTP/1.1 response; throws unless it is complete (its whole Content-Length). */
function parseResponse(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete response head in ${JSON.stringify(raw)}`);
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const body = raw.slice(end + 4);
  expect(Buffer.byteLength(body)).toBe(Number(headers['content-length']));
  return { status: Number(statusLine?.split(' ')[1]), headers, body };
}

function projectRequest(token: string, key: string): { head: string; body: string } {
  const body = JSON.stringify({ name: 'Drained', base_url: 'https://drained.test' });
  const head = [
    'POST /api/projects HTTP/1.1',
    'Host: 127.0.0.1',
    `Authorization: Bearer ${token}`,
    'Content-Type: application/json',
    `Idempotency-Key: ${key}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    '',
  ].join('\r\n');
  return { head, body };
}

async function tokenFor(stack: Stack): Promise<string> {
  const account = await createAccount(stack.db, { name: 'Drain', plan: 'team' });
  return (await createToken(stack.db, { accountId: account.id })).api_token;
}

/** Resolves with the error code of a fresh connection attempt ('connected' if it was accepted). */
function connectOutcome(apiUrl: string): Promise<string> {
  const { hostname, port } = new URL(apiUrl);
  return new Promise((res) => {
    const s = connect(Number(port), hostname);
    s.once('connect', () => {
      s.destroy();
      res('connected');
    });
    s.once('error', (err: NodeJS.ErrnoException) => res(err.code ?? err.message));
  });
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('graceful stop of the local stack', () => {
  it('finishes a request in flight, answers it with Connection: close, and refuses new connections', async () => {
    const stack = await startTestStack({ workers: false });
    let stopped = false;
    try {
      const token = await tokenFor(stack);

      // An idle keep-alive connection: one request answered, the connection left open.
      const idle = await openConnection(stack.apiUrl);
      idle.socket.write(
        `GET /api/projects/prj_none HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`,
      );
      await tick(500);

      // A request in flight: headers and half of its body sent, the rest after stop() began.
      const busy = await openConnection(stack.apiUrl);
      const { head, body } = projectRequest(token, 'drain-1');
      const half = Math.floor(body.length / 2);
      busy.socket.write(head + body.slice(0, half));
      await tick(300);

      const stopping = stack.stop().then(() => {
        stopped = true;
      });
      expect(await connectOutcome(stack.apiUrl)).toBe('ECONNREFUSED');
      // The idle connection is closed at once, long before the request in flight is done.
      const idleReceived = await Promise.race([idle.closed, tick(2_000).then(() => 'still open')]);
      expect(idleReceived).not.toBe('still open');
      await tick(300);
      expect(stopped, 'stop() resolved while a request was still in flight').toBe(false);

      busy.socket.write(body.slice(half));
      const res = parseResponse(await busy.closed);
      expect(res.status).toBe(201);
      expect(res.headers.connection).toBe('close');
      expect(JSON.parse(res.body)).toMatchObject({ name: 'Drained', base_url: 'https://drained.test' });
      expect(res.body).toMatch(/"id":"prj_/);

      // Stop completes once that response is written: well before a keep-alive timeout would run out.
      const t0 = Date.now();
      await stopping;
      expect(Date.now() - t0).toBeLessThan(2_000);
    } finally {
      if (!stopped) await stack.stop();
    }
  });

  it('cuts a request that never completes once the drain deadline has passed', async () => {
    const stack = await startTestStack({ workers: false });
    const token = await tokenFor(stack);
    const stuck = await openConnection(stack.apiUrl);
    const { head, body } = projectRequest(token, 'stuck-1');
    stuck.socket.write(head + body.slice(0, 5));
    await tick(300);

    const t0 = Date.now();
    await stack.stop({ drainDeadlineMs: 1_000 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5_000);
    expect(await stuck.closed).toBe('');
  });
});

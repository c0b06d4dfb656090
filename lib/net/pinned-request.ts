import type { LookupAddress, LookupOneOptions } from 'node:dns';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { isIP, type Socket } from 'node:net';

/**
 * One outbound POST to an address that was already checked by checkTargetUrl. The socket is opened to
 * exactly that address (custom `lookup`), while the Host header and TLS SNI/certificate check use the
 * URL's hostname, so there is no DNS rebinding window between check and connect.
 * Redirects are never followed: a 3xx is returned to the caller like any other status.
 *
 * Connections are kept alive and reused, one pool per pinned address (docs/ticket-exports.md,
 * "Connections to the receiver"): a pool is keyed by the checked IP, the port, the scheme and the TLS
 * server name / Host, and its agent can only ever connect to that IP, so a reused socket reaches the
 * address that was checked for this attempt and no other.
 */

export type DeliveryNetworkErrorKind = 'timeout' | 'connection';

/** Network-level failure (no HTTP status): both kinds are retried (docs/ticket-exports.md, "Outcomes and retries"). */
export class DeliveryNetworkError extends Error {
  readonly kind: DeliveryNetworkErrorKind;
  /** Node's error code when there is one (ECONNREFUSED, ECONNRESET, CERT_HAS_EXPIRED…), for logs. */
  readonly code?: string;

  constructor(
    kind: DeliveryNetworkErrorKind,
    message: string,
    opts: { code?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DeliveryNetworkError';
    this.kind = kind;
    this.code = opts.code;
  }
}

export interface PinnedAddress {
  address: string;
  family: number;
}

export interface PinnedPostOptions {
  headers: Record<string, string>;
  body: string;
  /** Budget for the whole exchange: connect, TLS, request, response headers and body. */
  timeoutMs: number;
  /** Trusted CA certificates (PEM) replacing Node's default roots. For tests and local receivers only. */
  ca?: string;
}

export interface PinnedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /**
   * Response body as text, at most RESPONSE_BODY_READ_LIMIT bytes of it (the attempt log keeps less,
   * lib/domain/response-body.ts; a ticket reference is read from all of it).
   */
  body: string;
  durationMs: number;
}

/** At most this much of the response body is read off the socket and returned; the rest is discarded. */
export const RESPONSE_BODY_READ_LIMIT = 64 * 1024;

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A dns.lookup replacement that always answers the pinned address, whatever name is asked. Node asks with
 * `all: true` when Happy Eyeballs (autoSelectFamily) is on, so both callback shapes are served.
 */
function pinnedLookup(pinned: PinnedAddress) {
  const family = isIP(pinned.address);
  return (_hostname: string, options: LookupOneOptions & { all?: boolean }, callback: LookupCallback) => {
    if (options?.all) callback(null, [{ address: pinned.address, family }]);
    else callback(null, pinned.address, family);
  };
}

/** Idle pooled sockets close after this long: below the 5 s keep-alive timeout of Node's (and many) servers. */
export const FREE_SOCKET_TIMEOUT_MS = 4_000;
/** Pools kept at most (least recently used goes first): one per pinned address, port and host name. */
export const MAX_POOLS = 50;
/** Idle sockets kept per pool: a batch sends at most 10 deliveries at once. */
const MAX_FREE_SOCKETS_PER_POOL = 10;

type AgentLike = Http.Agent;
const pools = new Map<string, AgentLike>();

/** The key of a pool: everything that decides where its sockets go and what they were opened for. */
function poolKey(isHttps: boolean, address: PinnedAddress, port: number, host: string): string {
  return `${isHttps ? 'https' : 'http'}|${address.address}|${port}|${host}`;
}

/**
 * The keep-alive agent of one pinned address. Its own `lookup` answers the pinned IP whatever a request
 * asks (agent options override request options when it opens a socket), so none of its sockets can go
 * anywhere else.
 */
function pinnedAgent(isHttps: boolean, address: PinnedAddress, port: number, host: string): AgentLike {
  const key = poolKey(isHttps, address, port, host);
  const found = pools.get(key);
  if (found) {
    // Most recently used last: the first entry is the one to retire.
    pools.delete(key);
    pools.set(key, found);
    return found;
  }
  const client: typeof Http | typeof Https = process.getBuiltinModule(isHttps ? 'node:https' : 'node:http');
  const agent = new client.Agent({
    keepAlive: true,
    timeout: FREE_SOCKET_TIMEOUT_MS,
    maxFreeSockets: MAX_FREE_SOCKETS_PER_POOL,
    scheduling: 'lifo',
    lookup: pinnedLookup(address) as unknown as Http.AgentOptions['lookup'],
  } as Http.AgentOptions);
  pools.set(key, agent);
  while (pools.size > MAX_POOLS) {
    const [oldest, retired] = pools.entries().next().value as [string, AgentLike];
    pools.delete(oldest);
    retirePool(retired);
  }
  return agent;
}

/** Idle sockets closed now; sockets in use finish their request and are closed then, never pooled again. */
function retirePool(agent: AgentLike) {
  agent.keepSocketAlive = () => false;
  dropIdleSockets(agent);
}

function dropIdleSockets(agent: AgentLike) {
  for (const list of Object.values(agent.freeSockets)) for (const socket of list ?? []) socket.destroy();
}

/** For tests: how many pools exist, and closing them all. */
export const connectionPools = {
  size: () => pools.size,
  closeAll: () => {
    for (const agent of pools.values()) agent.destroy();
    pools.clear();
  },
};

/** Host and body framing are derived from the URL and body here; callers cannot override them. */
function withoutFramingHeaders(headers: Record<string, string>): Record<string, string> {
  const reserved = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !reserved.has(name.toLowerCase())));
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Failures of a reused socket that the server closed while it sat idle: the request never got an answer. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

export function pinnedPost(
  url: URL,
  address: PinnedAddress,
  opts: PinnedPostOptions,
): Promise<PinnedResponse> {
  const isHttps = url.protocol === 'https:';
  if (!isHttps && url.protocol !== 'http:') {
    return Promise.reject(new Error(`pinnedPost supports http and https only, got ${url.protocol}`));
  }
  if (!isIP(address.address)) return Promise.reject(new Error('pinnedPost needs an IP address to pin to'));

  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === '' ? (isHttps ? 443 : 80) : Number(url.port);
  const body = Buffer.from(opts.body, 'utf8');
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const agent = pinnedAgent(isHttps, address, port, url.host);

  /**
   * One exchange. On a pooled socket that turns out to have been closed by the server while idle
   * (ECONNRESET/EPIPE before any byte of an answer), it is sent once more on a fresh connection:
   * safe, because the receiver dedupes on the delivery id (docs/ticket-exports.md, "Connections to the
   * receiver"); a fresh connection's failure is final.
   */
  const exchange = (fresh: boolean) =>
    new Promise<PinnedResponse>((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      let reused = false;
      let answered = false;
      let socket: Socket | undefined;
      const sawBytes = () => {
        answered = true;
      };

      const requestOptions: Https.RequestOptions = {
        method: 'POST',
        hostname,
        port,
        path: `${url.pathname}${url.search}`,
        headers: {
          ...withoutFramingHeaders(opts.headers),
          Host: url.host,
          'Content-Length': String(body.length),
        },
        lookup: pinnedLookup(address) as unknown as Https.RequestOptions['lookup'],
        // The pinned address's own pool; the retry after a stale socket takes a connection of its own.
        agent: fresh ? false : agent,
      };
      // SNI and certificate name check use the hostname; SNI must not carry an IP literal.
      if (isHttps && !isIP(hostname)) requestOptions.servername = hostname;
      if (opts.ca !== undefined) requestOptions.ca = opts.ca;

      const settle = () => {
        settled = true;
        clearTimeout(timer);
        socket?.off('data', sawBytes);
      };
      const fail = (err: DeliveryNetworkError) => {
        if (settled) return;
        settle();
        reject(err);
      };

      // Loaded on first use, not imported: an ESM import of node:http(s) evaluates every export of the
      // module, which loads Node's bundled undici into every cold start (docs/deploy.md, "Bundles").
      const client: typeof Http | typeof Https = process.getBuiltinModule(
        isHttps ? 'node:https' : 'node:http',
      );
      const req = client.request(requestOptions, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < RESPONSE_BODY_READ_LIMIT) {
            const slice = chunk.subarray(0, RESPONSE_BODY_READ_LIMIT - kept);
            chunks.push(slice);
            kept += slice.length;
          }
          // Enough read: stop downloading and answer with what we have (the socket is not reused).
          if (kept >= RESPONSE_BODY_READ_LIMIT) finish(true);
        });
        // Read to the end, the socket goes back to its pool.
        res.on('end', () => finish(false));
        res.on('error', (err) => onError(err));
        res.on('aborted', () =>
          onError(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })),
        );

        function finish(cutShort: boolean) {
          if (settled) return;
          settle();
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: { ...res.headers },
            body: text,
            durationMs: elapsed(),
          });
          if (cutShort) res.destroy();
        }
      });
      req.on('socket', (s) => {
        socket = s;
        reused = req.reusedSocket;
        if (reused) s.on('data', sawBytes);
      });

      function onError(err: unknown) {
        if (timedOut) {
          fail(new DeliveryNetworkError('timeout', `no complete response within ${opts.timeoutMs} ms`));
          return;
        }
        const code = errorCode(err);
        if (!settled && reused && !answered && STALE_SOCKET.has(code ?? '')) {
          settle();
          // The server closed this idle socket as it was reused: every idle one of the pool is suspect.
          dropIdleSockets(agent);
          resolve(exchange(true));
          return;
        }
        fail(
          new DeliveryNetworkError('connection', `connection failed${code ? ` (${code})` : ''}`, {
            code,
            cause: err,
          }),
        );
      }

      const timer = setTimeout(
        () => {
          timedOut = true;
          fail(new DeliveryNetworkError('timeout', `no complete response within ${opts.timeoutMs} ms`));
          req.destroy();
        },
        Math.max(1, opts.timeoutMs - (performance.now() - started)),
      );

      req.on('error', onError);
      req.end(body);
    });

  return exchange(false);
}

/** Errors of the connect step: nothing reached the receiver, so another of its addresses may be tried. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * pinnedPost to the checked addresses in order: when one refuses the connection (nothing was sent),
 * the next is tried within what is left of the same budget. Any other outcome, an HTTP answer or a
 * failure after connecting, is final for the attempt.
 */
export async function pinnedPostToAny(
  url: URL,
  addresses: readonly PinnedAddress[],
  opts: PinnedPostOptions,
): Promise<PinnedResponse> {
  const started = performance.now();
  for (let i = 0; ; i++) {
    const left = opts.timeoutMs - (performance.now() - started);
    try {
      const res = await pinnedPost(url, addresses[i] as PinnedAddress, {
        ...opts,
        timeoutMs: Math.max(1, Math.round(left)),
      });
      return { ...res, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      const refused = err instanceof DeliveryNetworkError && NOT_CONNECTED.has(err.code ?? '');
      if (!refused || i + 1 >= addresses.length) throw err;
    }
  }
}

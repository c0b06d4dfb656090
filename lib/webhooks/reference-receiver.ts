import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebhookSignatureInvalidError } from '../errors.ts';
import { MemoryNonceStore, type NonceStore, verifyWebhook } from './verify.ts';

/**
 * A small reference receiver for WebRiskOps webhooks (`npm run receiver`, and the tests' receiver):
 * verifies X-WebRiskOps-Signature with verifyWebhook (several secrets during rotation, timestamp
 * tolerance, nonce replay protection), dedupes by delivery id, prints each ticket once and answers 200
 * naming the ticket it created, `{"received": true, "ticket": {"id": "REF-1", "url": "…/tickets/REF-1"}}`
 * (the same ticket again for a repeated delivery id; docs/ticket-exports.md, "Ticket references");
 * a bad signature answers 401 {"error":{"code":"WEBHOOK_SIGNATURE_INVALID",…}}.
 *
 * For tests it can be started in-process with a response script: each verified request takes the next
 * step (a status with optional headers/body, `hang` = never answer, `reset` = drop the connection);
 * once the script is used up it answers normally.
 */
export type ResponseStep =
  /** Answer with this status (after `delayMs`, if given). */
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface ReceivedRequest {
  at: number;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  verified: boolean;
  deliveryId?: string;
  /** What the receiver answered: a status, or `hang` / `reset`. */
  answer: number | 'hang' | 'reset';
}

export interface ReceiverOptions {
  secrets: string[];
  /**
   * A file holding the secrets (comma-separated), read at every request: the receiver follows a target
   * created after it started. While the file is absent it answers 503 with Retry-After: 1, so the
   * delivery waits for it instead of failing on a 401.
   */
  secretsFile?: string;
  port?: number;
  host?: string;
  script?: ResponseStep[];
  toleranceSeconds?: number;
  nonceStore?: NonceStore;
  /** Where tickets are printed (default console.log). */
  print?: (line: string) => void;
}

export interface ReferenceReceiver {
  url: string;
  port: number;
  server: Server;
  /** Every request, in arrival order (tests inspect signatures and delivery ids here). */
  requests: ReceivedRequest[];
  /** Accepted deliveries by delivery id: each is processed (printed) once. */
  accepted: Map<string, unknown>;
  /** The ticket answered for each accepted ticket export, by delivery id. */
  tickets: Map<string, { id: string; url: string }>;
  setScript(steps: ResponseStep[]): void;
  /** Replaces the accepted secrets (e.g. after the target was created or its secret rotated). */
  setSecrets(secrets: string[]): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(text);
}

/** One line per ticket (or event), and one per issue. Never prints headers or signatures. */
export function describeDelivery(deliveryId: string, payload: unknown): string[] {
  type Issue = { severity?: unknown; title?: unknown; fingerprint?: unknown };
  type Payload = {
    type?: unknown;
    title?: unknown;
    export_id?: unknown;
    issues?: unknown;
    scan_run?: { scan_run_id?: unknown; error?: { code?: unknown } | null };
  };
  const p = (payload ?? {}) as Payload;
  if (p.type === 'ticket_export') {
    const issues = (Array.isArray(p.issues) ? p.issues : []) as Issue[];
    const count = `${issues.length} issue${issues.length === 1 ? '' : 's'}`;
    return [
      `ticket ${deliveryId}: ${String(p.title)} (export ${String(p.export_id)}, scan run ${String(p.scan_run?.scan_run_id)}, ${count})`,
      ...issues.map((i) => `  - [${String(i.severity)}] ${String(i.title)} (${String(i.fingerprint)})`),
    ];
  }
  if (p.type === 'scan_run.failed') {
    const code = String(p.scan_run?.error?.code ?? 'no error code');
    return [`event ${deliveryId}: scan_run.failed for scan run ${String(p.scan_run?.scan_run_id)} (${code})`];
  }
  return [`delivery ${deliveryId}: ${String(p.type ?? 'unknown type')}`];
}

/** The secrets a file lists (comma-separated), or undefined while it is absent or empty. */
async function secretsIn(file: string): Promise<string[] | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const secrets = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return secrets.length ? secrets : undefined;
}

export async function startReferenceReceiver(opts: ReceiverOptions): Promise<ReferenceReceiver> {
  let secrets = [...opts.secrets];
  const nonceStore = opts.nonceStore ?? new MemoryNonceStore();
  const print = opts.print ?? ((line: string) => console.log(line));
  let script = [...(opts.script ?? [])];
  const requests: ReceivedRequest[] = [];
  const accepted = new Map<string, unknown>();
  const tickets = new Map<string, { id: string; url: string }>();
  let baseUrl = '';
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: { code: 'INTERNAL', message: 'Receiver error.' } });
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const rawBody = await readBody(req).catch(() => undefined);
    const record: ReceivedRequest = {
      at: Date.now(),
      path: req.url ?? '/',
      headers: { ...req.headers },
      rawBody: rawBody ?? '',
      verified: false,
      answer: 0,
    };
    requests.push(record);
    if (req.method !== 'POST') {
      record.answer = 405;
      return send(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'POST only.' } });
    }
    if (rawBody === undefined) {
      record.answer = 413;
      return send(res, 413, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'Body over 1 MB.' } });
    }
    const fromFile = opts.secretsFile ? await secretsIn(opts.secretsFile) : undefined;
    if (opts.secretsFile && !fromFile) {
      record.answer = 503;
      return send(
        res,
        503,
        { error: { code: 'NOT_READY', message: 'No signing secret yet.' } },
        { 'Retry-After': '1' },
      );
    }
    try {
      const verified = await verifyWebhook({
        headers: req.headers,
        rawBody,
        secrets: fromFile ?? secrets,
        toleranceSeconds: opts.toleranceSeconds,
        nonceStore,
      });
      record.verified = true;
      record.deliveryId = verified.deliveryId;
    } catch (err) {
      if (!(err instanceof WebhookSignatureInvalidError)) throw err;
      record.answer = 401;
      return send(res, 401, { error: { code: err.code, message: err.message } });
    }

    const step = script.shift();
    if (step && 'kind' in step) {
      record.answer = step.kind;
      if (step.kind === 'reset') req.socket.destroy();
      return; // hang: never answer; close() drops the connection
    }
    if (step) {
      record.answer = step.status;
      if (step.delayMs) await new Promise((r) => setTimeout(r, step.delayMs));
      return send(res, step.status, step.body ?? { scripted: true }, step.headers);
    }

    const deliveryId = record.deliveryId ?? String(req.headers['webhook-id'] ?? '');
    if (accepted.has(deliveryId)) {
      record.answer = 200;
      const ticket = tickets.get(deliveryId);
      return send(res, 200, { received: true, duplicate: true, ...(ticket ? { ticket } : {}) });
    }
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody);
    } catch {
      record.answer = 400;
      return send(res, 400, { error: { code: 'INVALID_JSON', message: 'The body is not JSON.' } });
    }
    accepted.set(deliveryId, payload);
    for (const line of describeDelivery(deliveryId, payload)) print(line);
    record.answer = 200;
    if ((payload as { type?: unknown } | null)?.type !== 'ticket_export')
      return send(res, 200, { received: true });
    const id = `REF-${tickets.size + 1}`;
    const ticket = { id, url: `${baseUrl}/tickets/${id}` };
    tickets.set(deliveryId, ticket);
    return send(res, 200, { received: true, ticket });
  };
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: baseUrl,
    port,
    server,
    requests,
    accepted,
    tickets,
    setScript: (steps) => {
      script = [...steps];
    },
    setSecrets: (next) => {
      secrets = [...next];
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

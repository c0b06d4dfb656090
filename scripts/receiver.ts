/**
 * `npm run receiver`: the reference webhook receiver (lib/webhooks/reference-receiver.ts).
 *
 *   WEBRISKOPS_WEBHOOK_SECRET=whsec_…[,whsec_previous…]  secrets to accept (comma-separated while rotating)
 *   WEBRISKOPS_WEBHOOK_SECRET_FILE=<path>   or: a file holding them, read at every request (503 until it exists)
 *   RECEIVER_PORT or PORT   port (default 4000); RECEIVER_HOST (default 127.0.0.1)
 *   RECEIVER_SCRIPT         optional first answers, e.g. "500,500,429:2,hang,reset" (status[:Retry-After])
 */
import { type ResponseStep, startReferenceReceiver } from '../lib/webhooks/reference-receiver.ts';

function parseScript(raw: string | undefined): ResponseStep[] {
  if (!raw) return [];
  return raw.split(',').map((part) => {
    const p = part.trim();
    if (p === 'hang' || p === 'reset') return { kind: p };
    const m = /^(\d{3})(?::(\d+))?$/.exec(p);
    if (!m) throw new Error(`RECEIVER_SCRIPT: cannot read "${p}" (use e.g. 500, 429:2, hang, reset)`);
    return { status: Number(m[1]), ...(m[2] ? { headers: { 'Retry-After': m[2] } } : {}) };
  });
}

async function main() {
  const secrets = (process.env.WEBRISKOPS_WEBHOOK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const secretsFile = process.env.WEBRISKOPS_WEBHOOK_SECRET_FILE || undefined;
  if (secrets.length === 0 && !secretsFile) {
    console.error(
      'npm run receiver: set WEBRISKOPS_WEBHOOK_SECRET to the target signing secret (whsec_…), or WEBRISKOPS_WEBHOOK_SECRET_FILE to a file holding it.',
    );
    process.exit(1);
  }
  const port = Number(process.env.RECEIVER_PORT ?? process.env.PORT ?? 4000);
  const receiver = await startReferenceReceiver({
    secrets,
    secretsFile,
    port,
    host: process.env.RECEIVER_HOST ?? '127.0.0.1',
    script: parseScript(process.env.RECEIVER_SCRIPT),
  });
  console.log(
    `Reference receiver listening on ${receiver.url} (${secretsFile ? `secrets from ${secretsFile}` : `${secrets.length} secret${secrets.length === 1 ? '' : 's'}`}). Ctrl+C stops it.`,
  );
  const stop = () => void receiver.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`npm run receiver failed: ${(err as Error).message}`);
  process.exit(1);
});

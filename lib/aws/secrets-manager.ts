import type * as Http from 'node:http';
import type { SecretReader } from './secret-reader.ts';

/**
 * Secrets Manager through the AWS Parameters and Secrets Lambda Extension: the stack adds the
 * extension's layer to the functions that read a secret (infra/constructs/app-function.ts), and the
 * extension fetches and caches each secret for 4 minutes (SECRETS_MANAGER_TTL); this reader keeps a
 * value 1 more minute in the process, so a rotated secret is in use within 5 minutes without a
 * redeploy, and a warm function does not call even the extension per request. A read is one HTTP
 * call to the extension on localhost, authenticated with the function's session token, instead of an
 * SDK client in the bundle (the Secrets Manager client and Powertools Parameters were ~16 KB of each
 * of these functions; docs/deploy.md, "Bundles").
 *
 * The extension answers what GetSecretValue answers. Anything but 200 (not ready, access denied, no
 * such secret) is an error; the message names the status, never a value.
 */
export function secretsExtension(
  opts: { port?: number; token?: string; timeoutMs?: number; cacheMs?: number; now?: () => number } = {},
): SecretReader {
  const port = opts.port ?? Number(process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773);
  const timeoutMs = opts.timeoutMs ?? 3000;
  const cacheMs = opts.cacheMs ?? SECRET_CACHE_MS;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { value: Promise<string | undefined>; at: number }>();
  return (arn) => {
    const hit = cache.get(arn);
    if (hit && now() - hit.at < cacheMs) return hit.value;
    const value = read(arn);
    cache.set(arn, { value, at: now() });
    value.catch(() => cache.delete(arn)); // a failed read is retried by the next request
    return value;
  };

  function read(arn: string): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      // Not imported: an ESM import of node:http loads Node's bundled undici at every cold start.
      const http: typeof Http = process.getBuiltinModule('node:http');
      const req = http.request(
        {
          host: 'localhost',
          port,
          path: `/secretsmanager/get?secretId=${encodeURIComponent(arn)}`,
          headers: { 'X-Aws-Parameters-Secrets-Token': opts.token ?? process.env.AWS_SESSION_TOKEN ?? '' },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode !== 200) {
              reject(new Error(`The secrets extension answered ${res.statusCode} for a secret read.`));
              return;
            }
            try {
              const value = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { SecretString?: unknown })
                .SecretString;
              resolve(typeof value === 'string' && value.length > 0 ? value : undefined);
            } catch {
              reject(new Error('The secrets extension answered something that is not JSON.'));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`The secrets extension did not answer within ${timeoutMs} ms.`)),
      );
      req.on('error', reject);
      req.end();
    });
  }
}

/** How long this process keeps a secret (on top of the extension's SECRETS_MANAGER_TTL). */
export const SECRET_CACHE_MS = 60_000;

/** The functions' reader (port and token from the Lambda environment), made at first use. */
let shared: SecretReader | undefined;
export const secretsManager: SecretReader = (arn) => {
  shared ??= secretsExtension();
  return shared(arn);
};

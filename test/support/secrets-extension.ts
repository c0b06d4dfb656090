import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the AWS Parameters and Secrets Lambda Extension's Secrets Manager endpoint
 * (`GET /secretsmanager/get?secretId=…` with `X-Aws-Parameters-Secrets-Token`), answering what
 * GetSecretValue answers. It records every request, so tests count reads.
 */
export async function fakeSecretsExtension(opts: { token: string; secrets: Record<string, string> }) {
  const requests: { secretId: string | null; token: string | undefined }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = req.headers['x-aws-parameters-secrets-token'] as string | undefined;
    const secretId = url.searchParams.get('secretId');
    requests.push({ secretId, token });
    if (url.pathname !== '/secretsmanager/get') return void res.writeHead(404).end();
    if (token !== opts.token) return void res.writeHead(401).end('{"message":"unauthorized"}');
    const value = secretId ? opts.secrets[secretId] : undefined;
    if (value === undefined) return void res.writeHead(400).end('{"__type":"ResourceNotFoundException"}');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ARN: secretId, Name: 'secret', SecretString: value, VersionId: 'v1' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

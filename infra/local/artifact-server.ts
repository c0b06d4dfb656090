import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { resolve, sep } from 'node:path';
import { verifyLocalGet } from '../../lib/artifacts/presign.ts';

/**
 * The local stand-in for S3 presigned GETs: serves files of the artifacts folder to URLs signed by
 * `presignLocalGet` (lib/artifacts/presign.ts), with the Content-Type the URL names, until they expire.
 * Like S3: another origin than the API (so a client following a redirect here drops its bearer token),
 * 403 for a bad or expired signature, 404 for a missing object, GET and HEAD only.
 */
export async function startArtifactServer(opts: {
  rootDir: string;
  signingKey: string;
  port?: number;
}): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const root = resolve(opts.rootDir);
  const server = createServer(async (req, res) => {
    const answer = (status: number, code: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { code } }));
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'MethodNotAllowed');
      const verdict = verifyLocalGet(opts.signingKey, new URL(req.url ?? '/', 'http://local'));
      if (!verdict.ok)
        return answer(403, verdict.reason === 'expired' ? 'AccessDenied: expired' : 'AccessDenied');
      const file = resolve(root, verdict.key);
      if (!file.startsWith(root + sep)) return answer(403, 'AccessDenied');
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return answer(404, 'NoSuchKey');
      res.writeHead(200, { 'Content-Type': verdict.contentType, 'Content-Length': info.size });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    } catch {
      if (!res.headersSent) answer(500, 'InternalError');
      else res.destroy();
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    stop: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

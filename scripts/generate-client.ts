/**
 * `npm run client:generate`: writes lib/openapi-document.ts, the OpenAPI document itself as JSON text
 * (what the OpenAPI function serves: it is bundled from this file, so no function builds the document
 * at its cold start), and client/schema.ts, the TypeScript types of the API, from the OpenAPI
 * document that `GET /api/openapi.json` serves (`buildOpenApiDocument()`, built in-process: no server,
 * no network). The types come from openapi-typescript; after them, from the same document, the
 * credential each operation takes (its `security`), which client/index.ts uses to send the token or
 * the scanner secret only where the operation asks for it. The text is formatted with the repository's
 * biome, so the output is stable and `npm run lint` passes on it.
 *
 * test/unit/client/client-current.test.ts regenerates both and compares them with the committed files.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildOpenApiDocument } from '../lib/openapi.ts';

const ROOT = resolve(import.meta.dirname, '..');
export const SCHEMA_FILE = 'client/schema.ts';
export const DOCUMENT_FILE = 'lib/openapi-document.ts';
export const GENERATE_COMMAND = 'npm run client:generate';

const HEADER = `/**
 * GENERATED FILE, do not edit: \`${GENERATE_COMMAND}\` (scripts/generate-client.ts) writes it with
 * openapi-typescript from the OpenAPI document \`buildOpenApiDocument()\` builds (lib/openapi.ts, the one
 * served at GET /api/openapi.json). test/unit/client/client-current.test.ts fails when it is stale.
 */
`;

/** `targetSignature` is a ticket system's signed callback: the client never sends one (it has no target secret). */
type Credential = 'bearerAuth' | 'scannerSecret' | 'targetSignature' | null;

/** `METHOD /path` → the security scheme the operation takes (`null`: none), in document order. */
function operationSecurity(doc: OpenAPI3): Record<string, Credential> {
  const out: Record<string, Credential> = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, unknown>)) {
      const security = (op as { security?: Record<string, unknown>[] }).security ?? doc.security ?? [];
      const schemes = security.flatMap((requirement) => Object.keys(requirement));
      if (schemes.length > 1)
        throw new Error(`${method.toUpperCase()} ${path}: more than one security scheme is not supported`);
      const scheme = schemes[0] ?? null;
      if (
        scheme !== null &&
        scheme !== 'bearerAuth' &&
        scheme !== 'scannerSecret' &&
        scheme !== 'targetSignature'
      )
        throw new Error(`${method.toUpperCase()} ${path}: unknown security scheme ${scheme}`);
      out[`${method.toUpperCase()} ${path}`] = scheme;
    }
  }
  return out;
}

function formatWithBiome(text: string, file: string): string {
  const res = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/@biomejs/biome/bin/biome'), 'format', `--stdin-file-path=${file}`],
    { cwd: ROOT, input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (res.status !== 0) throw new Error(`biome format failed: ${res.stderr || res.error?.message}`);
  return res.stdout;
}

/**
 * The full text of lib/openapi-document.ts: the current document as one JSON string, which the OpenAPI
 * function parses on its first request. A string, not a JSON import: V8 scans a 150 KB string literal
 * in well under a millisecond, while the same data as an object literal cost ~7 ms of init.
 */
export function generateOpenApiDocument(): string {
  const header = `/**
 * GENERATED FILE, do not edit: \`${GENERATE_COMMAND}\` (scripts/generate-client.ts) writes it from
 * \`buildOpenApiDocument()\` (lib/openapi.ts). functions/openapi.ts serves it at GET /api/openapi.json;
 * test/unit/client/client-current.test.ts fails when it is stale.
 */
`;
  const text = `${header}export const OPENAPI_DOCUMENT_JSON = ${JSON.stringify(JSON.stringify(buildOpenApiDocument()))};\n`;
  return formatWithBiome(text, DOCUMENT_FILE);
}

/** The full text of client/schema.ts for the current document. */
export async function generateClientSchema(): Promise<string> {
  // A plain JSON copy: exactly what GET /api/openapi.json serves.
  const doc = JSON.parse(JSON.stringify(buildOpenApiDocument())) as OpenAPI3;
  const security = operationSecurity(doc);
  const types = astToString(await openapiTS(doc, { silent: true }));
  const securityMap = `
/** The credential each operation takes (its OpenAPI \`security\`), by \`METHOD /path\`; \`null\`: none. */
export const operationSecurity = ${JSON.stringify(security, null, 2)} as const satisfies Record<string, 'bearerAuth' | 'scannerSecret' | 'targetSignature' | null>;
`;
  return formatWithBiome(HEADER + types + securityMap, SCHEMA_FILE);
}

async function main() {
  const document = generateOpenApiDocument();
  writeFileSync(join(ROOT, DOCUMENT_FILE), document);
  console.log(`wrote ${DOCUMENT_FILE} (${document.length} characters)`);
  const text = await generateClientSchema();
  writeFileSync(join(ROOT, SCHEMA_FILE), text);
  console.log(`wrote ${SCHEMA_FILE} (${text.length} characters)`);
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) await main();

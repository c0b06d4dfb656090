import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { operationSecurity } from '../../../client/schema.ts';
import { buildOpenApiDocument } from '../../../lib/openapi.ts';
import { OPENAPI_DOCUMENT_JSON } from '../../../lib/openapi-document.ts';
import {
  DOCUMENT_FILE,
  GENERATE_COMMAND,
  generateClientSchema,
  generateOpenApiDocument,
  SCHEMA_FILE,
} from '../../../scripts/generate-client.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The first line where two texts differ, to say where the committed file is stale. */
function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i])
      return `line ${i + 1}:\n  committed: ${x[i] ?? '(end of file)'}\n  generated: ${y[i] ?? '(end of file)'}`;
  }
  return 'no difference';
}

describe('the generated TypeScript client', () => {
  let generated: string;
  beforeAll(async () => {
    generated = await generateClientSchema();
  });

  it(`${SCHEMA_FILE} is what the current OpenAPI document generates`, () => {
    const committed = readFileSync(join(ROOT, SCHEMA_FILE), 'utf8');
    if (committed !== generated) {
      expect.fail(
        `${SCHEMA_FILE} is stale: the OpenAPI document changed since it was generated. Run \`${GENERATE_COMMAND}\` and commit the result.\nFirst difference at ${firstDifference(committed, generated)}`,
      );
    }
  });

  it(`${DOCUMENT_FILE}, which the OpenAPI function serves, is the current document`, () => {
    const committed = readFileSync(join(ROOT, DOCUMENT_FILE), 'utf8');
    if (committed !== generateOpenApiDocument()) {
      expect.fail(
        `${DOCUMENT_FILE} is stale: the OpenAPI document changed since it was generated. Run \`${GENERATE_COMMAND}\` and commit the result.\nFirst difference at ${firstDifference(committed, generateOpenApiDocument())}`,
      );
    }
    expect(JSON.parse(OPENAPI_DOCUMENT_JSON)).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it('generating twice gives the same text (no timestamps or ordering noise)', async () => {
    expect(await generateClientSchema()).toBe(generated);
  });

  it('says it is generated and by which command', () => {
    const head = readFileSync(join(ROOT, SCHEMA_FILE), 'utf8').slice(0, 400);
    expect(head).toContain('GENERATED FILE');
    expect(head).toContain(GENERATE_COMMAND);
  });

  it('knows which credential each operation takes: the scanner secret only for the postback', () => {
    const scanner = Object.entries(operationSecurity).filter(([, s]) => s === 'scannerSecret');
    expect(scanner.map(([op]) => op)).toEqual(['POST /api/scanner/results']);
    expect(operationSecurity['POST /api/ticket-exports/{exportId}/approve']).toBe('bearerAuth');
    expect(operationSecurity['GET /api/openapi.json']).toBeNull();
  });
});

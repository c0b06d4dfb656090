import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers' direction: the HTTP layer (lib/http) may use the domain, the stores and the schemas, never
 * the other way round. Vocabulary they share (scopes, principals, ids, delivery words) lives in a
 * neutral module (lib/auth, lib/ids.ts, lib/domain/delivery-vocabulary.ts).
 */
const LIB = resolve(import.meta.dirname, '../../../lib');
const INNER_LAYERS = ['db', 'domain', 'schemas'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [
    ...source.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g),
  ].map((m) => (m[1] ?? m[2]) as string);
}

describe('import direction', () => {
  it.each(INNER_LAYERS)('lib/%s imports nothing from lib/http', (layer) => {
    const offending: string[] = [];
    for (const file of tsFiles(join(LIB, layer))) {
      for (const spec of importsOf(file)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(LIB, resolve(file, '..', spec));
        if (target === 'http' || target.startsWith('http/'))
          offending.push(`${relative(LIB, file)} → ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('finds imports at all (the check cannot pass vacuously)', () => {
    const all = INNER_LAYERS.flatMap((l) => tsFiles(join(LIB, l)));
    expect(all.length).toBeGreaterThan(20);
    expect(all.flatMap(importsOf).some((s) => s.startsWith('../'))).toBe(true);
    // And the rule would catch what it is meant to: the HTTP layer's own files resolve to lib/http.
    const http = tsFiles(join(LIB, 'http')).flatMap((f) =>
      importsOf(f).map((s) => relative(LIB, resolve(f, '..', s))),
    );
    expect(http.some((t) => t.startsWith('http/'))).toBe(true);
  });
});

import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The zod every schema of this code base is written with: Zod Mini, with the English messages the
 * API's validation errors carry. Mini's checks are functions (`z.string().check(z.maxLength(9))`,
 * `z.optional(…)`), so a bundle keeps only the ones its schemas use; classic zod attaches every method
 * to every schema and puts ~100 KB in each function (docs/deploy.md, "Bundles").
 *
 * The locale is set here, once, by the module every schema file imports, so no parse can run before it.
 */
config(en());

export * from 'zod/mini';

/**
 * A module-level schema, written `export const X = /* @__PURE__ *\/ z.built(() => …)`: the annotation
 * lets esbuild drop every schema a function's bundle never uses (it keeps any top-level call it cannot
 * prove free of side effects, and a chain like `z.object(…).register(…)` is such a call). Building a
 * schema is a cold-start cost: about a millisecond each at import (docs/deploy.md, "Bundles").
 */
export function built<T>(build: () => T): T {
  return build();
}

/** A schema built when first asked for, then kept: for tables of schemas a function uses one or two of. */
export function onFirstUse<T>(build: () => T): () => T {
  let schema: T | undefined;
  return () => {
    schema ??= build();
    return schema;
  };
}

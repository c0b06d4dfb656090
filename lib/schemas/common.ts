import * as z from './zod.ts';

/**
 * A schema with a description for the OpenAPI document. Metadata is registered on the instance (as
 * classic zod's `.meta()` does), not added as a check, so a schema derived from it does not inherit it.
 */
export function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

/**
 * Text that is trimmed, then 1–`max` characters. The document states "not only white space" as the
 * pattern `\\S` (JavaScript's `\\s` is the set `trim()` removes); `meta` adds its description or example.
 */
export const trimmedText = (max: number, meta: Record<string, unknown> = {}) =>
  z
    .string()
    .check(z.trim(), z.minLength(1), z.maxLength(max))
    .register(z.globalRegistry, { pattern: '\\S', ...meta });

/** A JSON number that must be an integer. */
export const integer = () => z.number().check(z.int());

/** An issue fingerprint, as scanner results carry it and ticket exports name it. */
export const FingerprintSchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.string().check(z.regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 characters of A-Z a-z 0-9 . _ : -')),
);

/** How an absolute http(s) URL begins (the OpenAPI document states it as the pattern). */
const HTTP_URL_START = /^[Hh][Tt][Tt][Pp][Ss]?:\/\//;

/** Absolute http(s) URL (`http://` or `https://`, then what the WHATWG URL parser accepts), bounded. */
export const HttpUrl = /* @__PURE__ */ z.onFirstUse(() =>
  z
    .string()
    .check(
      z.maxLength(2048),
      z.refine((v: string) => {
        if (!HTTP_URL_START.test(v)) return false;
        try {
          return ['http:', 'https:'].includes(new URL(v).protocol);
        } catch {
          return false;
        }
      }, 'must be an absolute http(s) URL'),
    )
    .register(z.globalRegistry, {
      pattern: HTTP_URL_START.source,
      description: 'An absolute http(s) URL, as the WHATWG URL Standard parses it',
    }),
);

/** `limit` of a list query: 1–100, default 50 (query strings are strings: coerced). */
export const PageLimit = /* @__PURE__ */ z.onFirstUse(() =>
  z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
);

/** Opaque pagination cursor from a previous page's `next_cursor`. */
export const PageQuerySchema = /* @__PURE__ */ z.onFirstUse(() =>
  z.object({
    limit: PageLimit(),
    cursor: z.optional(z.string().check(z.maxLength(2048))),
  }),
);

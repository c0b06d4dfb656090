import { ValidationError } from '../errors.ts';
import type * as z from './zod.ts';

/** Dotted path as the error details name fields: `pages.3.issues.0.confidence` (docs/scanner-results.md). */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

/** Parses with a zod schema; failure → 422 VALIDATION_FAILED naming every offending field. */
export function parseOrThrow<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  prefix: readonly PropertyKey[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      field: fieldPath([...prefix, ...issue.path]),
      message: issue.message,
    })),
  );
}

import { type ErrorDetail, ValidationError } from '../errors.ts';
import { fieldPath } from '../schemas/parse.ts';
import { type ScannerResult, ScannerResultSchema } from '../schemas/scanner-results.ts';
import * as z from '../schemas/zod.ts';

/** The fields every postback has, checked on their own so a bad status never hides a bad scanRunId. */
const Envelope = z.object({
  scanRunId: z.number().check(z.int(), z.minimum(1), z.maximum(Number.MAX_SAFE_INTEGER)),
  status: z.enum(['completed', 'failed'], { error: 'must be completed or failed' }),
});

const at = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    root,
  );

/** Structural rules zod would skip while other fields are invalid (its refinements run last). */
function structuralIssues(input: Record<string, unknown>): ErrorDetail[] {
  if (input.status !== 'completed') return [];
  const out: ErrorDetail[] = [];
  if (input.page !== undefined && input.pages !== undefined)
    out.push({ field: 'pages', message: 'send either page or pages[], not both' });
  if (input.page === undefined && input.pages === undefined)
    out.push({ field: 'page', message: 'a completed scan needs page (or pages[])' });
  if (input.page !== undefined && input.artifacts === undefined)
    out.push({ field: 'artifacts.screenshotPath', message: 'is required' });
  return out;
}

/**
 * Validates a scanner postback and names EVERY offending field by path (`pages.3.issues.0.confidence`):
 * the schema's own issues, the envelope fields, and the structural rules; a missing artifacts object
 * is reported as its required `…artifacts.screenshotPath`.
 */
export function parseScannerResult(input: unknown): ScannerResult {
  const parsed = ScannerResultSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details: ErrorDetail[] = [];
  const add = (d: ErrorDetail) => {
    if (!details.some((x) => x.field === d.field)) details.push(d);
  };
  const envelope = Envelope.safeParse(input);
  if (!envelope.success)
    for (const i of envelope.error.issues) add({ field: fieldPath(i.path), message: i.message });
  if (input && typeof input === 'object' && !Array.isArray(input))
    structuralIssues(input as Record<string, unknown>).forEach(add);
  for (const issue of parsed.error.issues) {
    const missingArtifacts = issue.path.at(-1) === 'artifacts' && at(input, issue.path) === undefined;
    add(
      missingArtifacts
        ? { field: fieldPath([...issue.path, 'screenshotPath']), message: 'is required' }
        : { field: fieldPath(issue.path), message: issue.message },
    );
  }
  throw new ValidationError(details);
}

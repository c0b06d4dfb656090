import { type ErrorDetail, ValidationError } from '../errors.ts';
import { secretTypesInIdentifiers } from '../sanitize/redact.ts';
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
 * Issue fingerprints and artifact paths of a completed postback, wherever the input has them as
 * strings (valid or not), with the field path each is named by: `issues.0.fingerprint`,
 * `artifacts.screenshotPath`, `pages.3.issues.1.screenshotPath`…
 */
function identifierFields(input: unknown): { field: string; value: string }[] {
  const out: { field: string; value: string }[] = [];
  if (at(input, ['status']) !== 'completed') return out;
  const take = (node: unknown, path: PropertyKey[]) => {
    const value = at(node, path.slice(-1));
    if (typeof value === 'string') out.push({ field: fieldPath(path), value });
  };
  const entry = (node: unknown, prefix: PropertyKey[]) => {
    const artifacts = at(node, ['artifacts']);
    take(artifacts, [...prefix, 'artifacts', 'screenshotPath']);
    take(artifacts, [...prefix, 'artifacts', 'htmlSnapshotPath']);
    const issues = at(node, ['issues']);
    if (!Array.isArray(issues)) return;
    for (const [i, issue] of issues.entries()) {
      take(issue, [...prefix, 'issues', i, 'fingerprint']);
      take(issue, [...prefix, 'issues', i, 'screenshotPath']);
    }
  };
  entry(input, []);
  const pages = at(input, ['pages']);
  if (Array.isArray(pages)) {
    for (const [i, page] of pages.entries()) entry(page, ['pages', i]);
  }
  return out;
}

/**
 * Fingerprints and artifact paths that hold a secret. They are identifiers (stored, compared and shown
 * exactly), so they are refused, not redacted; the message names the rule, never the value.
 */
function secretIdentifierIssues(input: unknown): ErrorDetail[] {
  const fields = identifierFields(input);
  const types = secretTypesInIdentifiers(fields.map((f) => f.value));
  return fields.flatMap(({ field }, i) =>
    types[i]!.length > 0
      ? [
          {
            field,
            message: `holds a secret (${types[i]!.join(', ')}); identifiers are refused, not redacted`,
          },
        ]
      : [],
  );
}

/**
 * Validates a scanner postback and names EVERY offending field by path (`pages.3.issues.0.confidence`):
 * the schema's own issues, the envelope fields, the structural rules, and fingerprints or artifact
 * paths that match a secret rule; a missing artifacts object is reported as its required
 * `…artifacts.screenshotPath`.
 */
export function parseScannerResult(input: unknown): ScannerResult {
  const parsed = ScannerResultSchema().safeParse(input);
  const secrets = secretIdentifierIssues(input);
  if (parsed.success && secrets.length === 0) return parsed.data;
  const details: ErrorDetail[] = [];
  const add = (d: ErrorDetail) => {
    if (!details.some((x) => x.field === d.field)) details.push(d);
  };
  if (!parsed.success) {
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
  }
  secrets.forEach(add);
  throw new ValidationError(details);
}

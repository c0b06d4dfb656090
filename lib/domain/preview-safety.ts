import { redactDeep } from '../sanitize/redact.ts';

/**
 * Preview safety: the preview is safe when the secret detector (lib/sanitize/redact.ts, the same one
 * scanner ingestion applies before storage) finds nothing left in it, i.e. redacting it changes
 * nothing. Returns the detector's marker types that redaction would add (e.g. `github_token`), never the
 * matched values.
 */
const MARKER = /\[REDACTED:([a-z0-9_]+)\]/g;

function markerCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(MARKER)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  return counts;
}

export function findSecretsIn(value: unknown): string[] {
  const before = JSON.stringify(value);
  const after = JSON.stringify(redactDeep(value));
  if (after === before) return [];
  const had = markerCounts(before);
  const found = [...markerCounts(after)]
    .filter(([type, n]) => n > (had.get(type) ?? 0))
    .map(([type]) => type);
  return found.length > 0 ? found.sort() : ['unknown'];
}

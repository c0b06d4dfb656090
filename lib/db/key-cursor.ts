import { ValidationError } from '../errors.ts';

/**
 * Opaque pagination cursors: base64url of the query's LastEvaluatedKey. A cursor is accepted only
 * when it is well-formed and points into the partition being read (`partition` checked against the
 * named attribute), so a cursor cannot be used to read elsewhere.
 */
const KEY_ATTRS = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk']);

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

export function decodeCursor(
  cursor: string | undefined,
  expect: { attr: 'pk' | 'gsi1pk'; partition: string },
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => new ValidationError([{ field: 'cursor', message: 'is not a valid cursor' }]);
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const entries = Object.entries(key);
  if (entries.some(([k, v]) => !KEY_ATTRS.has(k) || typeof v !== 'string')) throw invalid();
  const record = key as Record<string, string>;
  if (record[expect.attr] !== expect.partition) throw invalid();
  return record;
}

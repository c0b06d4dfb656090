/**
 * Opaque pagination cursors: base64url of the query's LastEvaluatedKey. A cursor is accepted only
 * when it has exactly the key attributes of the list being read, each a string, points into that
 * list's partition and (where given) under its sort-key prefix, so a cursor can neither read elsewhere
 * nor reach DynamoDB malformed.
 */
export type CursorKey = Record<string, string>;

/** A list store's answer: a page, or the finding that the cursor is not one of this list's. */
export type ListOutcome<T> =
  | { kind: 'page'; items: T[]; nextCursor: string | null }
  | { kind: 'invalid_cursor' };

export interface CursorShape {
  /** The key attributes a LastEvaluatedKey of this query has: pk, sk (+ gsi1pk, gsi1sk on the index). */
  attrs: readonly string[];
  /** The partition attribute and value the cursor must point into. */
  partition: { attr: string; value: string };
  /** A prefix the sort key must start with. */
  skPrefix?: string;
}

export const TABLE_KEY = ['pk', 'sk'] as const;
export const GSI1_KEY = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;
export const GSI2_KEY = ['pk', 'sk', 'gsi2pk', 'gsi2sk'] as const;

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : null;
}

/** `undefined` for no cursor, the key for a valid one, `'invalid'` for anything else. */
export function decodeCursor(
  cursor: string | undefined,
  shape: CursorShape,
): CursorKey | undefined | 'invalid' {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return 'invalid';
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return 'invalid';
  const entries = Object.entries(key);
  if (entries.length !== shape.attrs.length) return 'invalid';
  if (entries.some(([k, v]) => !shape.attrs.includes(k) || typeof v !== 'string' || v.length === 0))
    return 'invalid';
  const record = key as CursorKey;
  if (record[shape.partition.attr] !== shape.partition.value) return 'invalid';
  if (shape.skPrefix !== undefined && !record.sk?.startsWith(shape.skPrefix)) return 'invalid';
  return record;
}

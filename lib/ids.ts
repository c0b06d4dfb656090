import { randomBytes } from 'node:crypto';

/**
 * Every resource id format, in one place: a prefix and random hex. Path parameters, queue messages and
 * the getOwned… readers check ids with `isId`, so a malformed id never reaches DynamoDB.
 */
export const ID_FORMATS = {
  account: { prefix: 'acc', bytes: 12 },
  token: { prefix: 'tok', bytes: 12 },
  project: { prefix: 'prj', bytes: 12 },
  target: { prefix: 'tgt', bytes: 12 },
  export: { prefix: 'exp', bytes: 12 },
  delivery: { prefix: 'dlv', bytes: 12 },
  event: { prefix: 'evt', bytes: 16 },
} as const;

export type IdKind = keyof typeof ID_FORMATS;

const PATTERNS = Object.fromEntries(
  Object.entries(ID_FORMATS).map(([kind, f]) => [kind, new RegExp(`^${f.prefix}_[0-9a-f]{${f.bytes * 2}}$`)]),
) as Record<IdKind, RegExp>;

export function newId(kind: IdKind): string {
  const f = ID_FORMATS[kind];
  return `${f.prefix}_${randomBytes(f.bytes).toString('hex')}`;
}

export function idPattern(kind: IdKind): RegExp {
  return PATTERNS[kind];
}

export function isId(kind: IdKind, value: unknown): value is string {
  return typeof value === 'string' && PATTERNS[kind].test(value);
}

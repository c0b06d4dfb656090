import type { ListOutcome } from '../db/key-cursor.ts';
import { ValidationError } from '../errors.ts';

/**
 * One page of a list store's answer as the API shows it, each item through `view`; a cursor that is
 * not this list's is 422 naming `cursor`.
 */
export function toPage<T, V = T>(
  outcome: ListOutcome<T>,
  view: (item: T) => V = (item) => item as unknown as V,
): { items: V[]; next_cursor: string | null } {
  if (outcome.kind === 'invalid_cursor') {
    throw new ValidationError([{ field: 'cursor', message: 'is not a valid cursor' }]);
  }
  return { items: outcome.items.map(view), next_cursor: outcome.nextCursor };
}

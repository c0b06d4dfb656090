import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/**
 * An item's size as DynamoDB counts it against its 400 KB limit (Developer Guide, "Item sizes"):
 * attribute names and string values in UTF-8 bytes, numbers at most 21 bytes, 1 byte for a boolean
 * or null, and 3 bytes plus 1 per element for a list or map (map keys count like names).
 */
export const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

function valueBytes(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.min(21, Math.ceil(v.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1);
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.B !== undefined) return v.B.length;
  if (v.L !== undefined) return 3 + v.L.reduce((n, e) => n + 1 + valueBytes(e), 0);
  if (v.M !== undefined)
    return 3 + Object.entries(v.M).reduce((n, [k, e]) => n + 1 + Buffer.byteLength(k) + valueBytes(e), 0);
  if (v.SS !== undefined) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  throw new Error(`item size: unhandled attribute ${JSON.stringify(Object.keys(v))}`);
}

export function dynamoItemBytes(item: Record<string, unknown>): number {
  const attrs = marshall(item, { removeUndefinedValues: true });
  return Object.entries(attrs).reduce((n, [name, v]) => n + Buffer.byteLength(name) + valueBytes(v), 0);
}

/**
 * The one DynamoDB table, described once. The CDK stack (infra/stack.ts) and the local stack
 * (infra/local/provision.ts) both build the table from this definition, so they cannot disagree.
 *
 * Single-table layout (key builders in lib/db/keys.ts):
 *   pk / sk            primary key of every item
 *   gsi1pk / gsi1sk    an account's items of one kind (targets, projects, scan runs by project, exports, …); keys only
 *   gsi2pk / gsi2sk    a target's deliveries (exports and events), newest last by creation time
 *   expires_at         TTL attribute (epoch seconds): idempotency records, rate-limit windows
 * Streams (NEW_AND_OLD_IMAGES) feed the dispatcher, which drives side effects from committed changes.
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /**
   * Keys only: its readers, the account lists (targets, projects, a project's scan runs, exports), read
   * the items from the table by those keys (lib/db/targets-store.ts, lib/db/index-list.ts), so no state
   * write of an export, event or scan run (they carry gsi1 keys too) writes the index (docs/deploy.md,
   * "Upgrades: the account index").
   */
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'KEYS_ONLY' },
  /** Whole items: the deliveries list and target recovery read (and filter on) the delivery state. */
  gsi2: { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'ALL' },
  ttlAttribute: 'expires_at',
  streamViewType: 'NEW_AND_OLD_IMAGES',
} as const;

/** CreateTable input for DynamoDB Local and tests (on AWS, CDK builds the same shape). */
export function createTableInput(tableName: string) {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: TABLE.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE.sortKey, AttributeType: 'S' as const },
      { AttributeName: TABLE.gsi1.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE.gsi1.sortKey, AttributeType: 'S' as const },
      { AttributeName: TABLE.gsi2.partitionKey, AttributeType: 'S' as const },
      { AttributeName: TABLE.gsi2.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [globalIndexInput(TABLE.gsi1), globalIndexInput(TABLE.gsi2)],
    StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE.streamViewType },
  };
}

/** One global secondary index of the table, with its projection (CreateTable and UpdateTable). */
export function globalIndexInput(index: {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  projection: 'ALL' | 'KEYS_ONLY';
}) {
  return {
    IndexName: index.indexName,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: index.projection },
  };
}

import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '../../lib/db/table-definition.ts';

export interface DataProps {
  /**
   * An index to leave out of this deploy (context `withoutIndex`): the first of the two deploys that
   * re-create an index with a new projection, which CloudFormation cannot change in place
   * (docs/deploy.md, "Upgrades: the account index").
   */
  withoutIndex?: string;
}

/**
 * The one DynamoDB table, built from lib/db/table-definition.ts (the local stack builds DynamoDB
 * Local's table from the same definition): on-demand, point-in-time recovery, TTL on `expires_at`
 * (idempotency records, rate-limit windows), a NEW_AND_OLD_IMAGES stream for the dispatcher, and
 * both deletion protection and RETAIN so neither a stray console click nor `cdk destroy` loses data.
 */
export class Data extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE.ttlAttribute,
      stream: dynamodb.StreamViewType[TABLE.streamViewType],
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudFormation adds one index per stack update: gsi2 came after gsi1 (docs/deploy.md, "Upgrades").
    for (const index of [TABLE.gsi1, TABLE.gsi2]) {
      if (index.indexName === props.withoutIndex) continue;
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        // The same projection as the local table's (createTableInput): keys only for gsi1.
        projectionType: dynamodb.ProjectionType[index.projection],
      });
    }
  }
}

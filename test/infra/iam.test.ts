import type { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebRiskOpsStack } from '../../infra/stack.ts';
import { type Grant, ROUTES, WORKERS } from '../../lib/http/routes.ts';
import {
  actionsOf,
  type CfnTemplate,
  type FunctionInfo,
  functionsByName,
  resourcesOf,
  resourcesOfType,
  type Statement,
  statementsOfRole,
  synthTestStack,
} from './synth.ts';

/**
 * Least privilege, checked exactly: for every function, the set of (action, resource, condition)
 * permissions in the template equals what its declared grants allow, written out here by hand.
 */
const TABLE_READ = [
  'dynamodb:BatchGetItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:Query',
  'dynamodb:Scan',
];
const TABLE_WRITE = [
  'dynamodb:BatchWriteItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];
const SECRET_READ = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const QUEUE_SEND = ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'];
const QUEUE_CONSUME = [
  'sqs:ReceiveMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
];

const on = (actions: string[], ...resources: string[]) =>
  actions.flatMap((a) => resources.map((r) => `${a} on ${r}`));

const EXPECTED_BY_GRANT: Record<Grant, string[]> = {
  'table:read': on(TABLE_READ, 'table.Arn', 'table.Arn/index/*'),
  'table:write': on(TABLE_WRITE, 'table.Arn', 'table.Arn/index/*'),
  'queue:send': on(QUEUE_SEND, 'deliveries.Arn'),
  'queue:consume': on(QUEUE_CONSUME, 'deliveries.Arn'),
  'bucket:delete': [
    's3:DeleteObject on artifacts.Arn/tmp/*',
    's3:ListBucket on artifacts.Arn if {"StringLike":{"s3:prefix":["tmp/*"]}}',
  ],
  'bucket:write-reports': ['s3:PutObject on artifacts.Arn/reports/*'],
  'bucket:read-reports': ['s3:GetObject on artifacts.Arn/reports/*'],
  'secret:scanner': on(SECRET_READ, 'scannerSecret'),
  'secret:target-keys': on(SECRET_READ, 'targetKey'),
};

/** What the event sources add: the stream reads and the failure destination of the dispatcher. */
const EVENT_SOURCE_EXTRAS: Record<string, string[]> = {
  dispatcher: [
    'dynamodb:ListStreams on *',
    ...on(['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], 'table.StreamArn'),
    ...on(QUEUE_SEND, 'dispatcherFailures.Arn'),
  ],
  'delivery-worker': on(QUEUE_CONSUME, 'deliveries.Arn'),
};

let stack: WebRiskOpsStack;
let t: CfnTemplate;
let fns: Map<string, FunctionInfo>;
let names: Map<string, string>;
const id = (c: IConstruct) => stack.getLogicalId(c.node.defaultChild as CfnElement);

/** A policy resource in readable form: logical ids replaced by the names above. */
function describe_(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v.Ref) return names.get(v.Ref) ?? `?${v.Ref}`;
  if (v['Fn::GetAtt'])
    return `${names.get(v['Fn::GetAtt'][0]) ?? `?${v['Fn::GetAtt'][0]}`}.${v['Fn::GetAtt'][1]}`;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(describe_).join(v['Fn::Join'][0]);
  return JSON.stringify(value);
}

function permissions(statements: Statement[]): Set<string> {
  const out = new Set<string>();
  for (const s of statements) {
    expect(s.Effect).toBe('Allow');
    const condition = s.Condition ? ` if ${JSON.stringify(s.Condition)}` : '';
    for (const a of actionsOf(s))
      for (const r of resourcesOf(s)) out.add(`${a} on ${describe_(r)}${condition}`);
  }
  return out;
}

const permissionsOf = (name: string) => {
  const f = fns.get(name)!;
  const own = new Set([`logs:CreateLogStream on ${name}.logs.Arn`, `logs:PutLogEvents on ${name}.logs.Arn`]);
  return { actual: permissions(statementsOfRole(t, f.roleId)), own };
};

const DEFS = [...ROUTES, WORKERS.delivery, WORKERS.dispatcher].map((d) => ({
  name: d.name as string,
  grants: d.grants as readonly Grant[],
}));

beforeAll(() => {
  const s = synthTestStack();
  stack = s.stack;
  t = s.json;
  fns = functionsByName(t);
  names = new Map([
    [id(stack.data.table), 'table'],
    [id(stack.queues.deliveries), 'deliveries'],
    [id(stack.queues.deliveriesDlq), 'deliveriesDlq'],
    [id(stack.queues.dispatcherFailures), 'dispatcherFailures'],
    [id(stack.artifacts.bucket), 'artifacts'],
    [id(stack.secrets.scannerSecret), 'scannerSecret'],
    [id(stack.secrets.targetSecretsKey), 'targetKey'],
  ]);
  for (const [name, f] of stack.functions) names.set(id(f.logGroup), `${name}.logs`);
});

describe('least privilege per function', () => {
  it.each(DEFS)('$name has exactly the permissions its grants declare', ({ name, grants }) => {
    const { actual, own } = permissionsOf(name);
    const expected = new Set([
      ...own,
      ...grants.flatMap((g) => EXPECTED_BY_GRANT[g]),
      ...(EVENT_SOURCE_EXTRAS[name] ?? []),
    ]);
    expect([...actual].sort()).toEqual([...expected].sort());
  });

  it('gives the OpenAPI function nothing beyond its own log group (no table, queue, bucket or secret)', () => {
    const { actual } = permissionsOf('openapi');
    expect([...actual].filter((p) => !p.startsWith('logs:'))).toEqual([]);
    expect([...actual].every((p) => p.endsWith('on openapi.logs.Arn'))).toBe(true);
  });

  it('lets only the scanner results function read the scanner secret', () => {
    const readers = [...fns.keys()].filter((name) =>
      [...permissionsOf(name).actual].some((p) => p.includes(' on scannerSecret')),
    );
    expect(readers).toEqual(['scanner.results.store']);
  });

  it('lets only targets.create, targets.rotate-secret, targets.callback and the delivery worker read the target-secrets key', () => {
    const readers = [...fns.keys()].filter((name) =>
      [...permissionsOf(name).actual].some((p) => p.startsWith('secretsmanager:GetSecretValue on targetKey')),
    );
    expect(readers.sort()).toEqual([
      'delivery-worker',
      'targets.callback',
      'targets.create',
      'targets.rotate-secret',
    ]);
  });

  it('lets only the dispatcher touch the bucket (delete under tmp/, write reports) and the report route read reports', () => {
    const s3 = [...fns.keys()].flatMap((name) =>
      [...permissionsOf(name).actual].filter((p) => p.startsWith('s3:')).map((p) => `${name}: ${p}`),
    );
    expect(s3.sort()).toEqual([
      'dispatcher: s3:DeleteObject on artifacts.Arn/tmp/*',
      'dispatcher: s3:ListBucket on artifacts.Arn if {"StringLike":{"s3:prefix":["tmp/*"]}}',
      'dispatcher: s3:PutObject on artifacts.Arn/reports/*',
      'scan-runs.report: s3:GetObject on artifacts.Arn/reports/*',
    ]);
  });
});

describe('IAM hygiene', () => {
  it('has no wildcard action anywhere and no wildcard resource except dynamodb:ListStreams', () => {
    const documents = [
      ...resourcesOfType(t, 'AWS::IAM::Policy').map(([, p]) => p.Properties!.PolicyDocument),
      ...resourcesOfType(t, 'AWS::IAM::Role').flatMap(([, r]) =>
        (r.Properties!.Policies ?? []).map((p: any) => p.PolicyDocument),
      ),
    ];
    expect(documents.length).toBeGreaterThan(0);
    for (const doc of documents) {
      for (const s of doc.Statement as Statement[]) {
        for (const a of actionsOf(s)) expect(a).not.toMatch(/^\*$|:\*$/);
        if (resourcesOf(s).includes('*')) expect(actionsOf(s)).toEqual(['dynamodb:ListStreams']);
      }
    }
  });

  it('uses one role per function, with no managed policies', () => {
    const roles = resourcesOfType(t, 'AWS::IAM::Role');
    expect(roles).toHaveLength(fns.size);
    for (const [, role] of roles) {
      expect(role.Properties).not.toHaveProperty('ManagedPolicyArns');
      expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
    }
    expect(new Set([...fns.values()].map((f) => f.roleId)).size).toBe(fns.size);
  });
});

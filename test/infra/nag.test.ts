import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WebRiskOpsStack } from '../../infra/stack.ts';
import { type CfnTemplate, synthTestStack } from './synth.ts';

let app: App;
let stack: WebRiskOpsStack;
let t: CfnTemplate;

beforeAll(() => {
  // Template.fromStack synthesizes the app; with the plugin registered, any unacknowledged finding
  // makes that synthesis throw "Validation failed" (as `cdk synth` does).
  const s = synthTestStack({ nag: true });
  app = s.app;
  stack = s.stack;
  t = s.json;
});

/** Every acknowledgement in the construct tree: rule id → reasons. */
function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  const out: Array<{ path: string; id: string; reason: string }> = [];
  for (const c of root.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: c.node.path, id: key.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return out;
}

describe('cdk-nag AWS Solutions checks', () => {
  it('reports no unacknowledged finding on the stack', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('leaves no error or warning annotation on the stack', () => {
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('acknowledges only the reviewed rules, each with a one-sentence reason', () => {
    const acks = acknowledgements(stack);
    expect([...new Set(acks.map((a) => a.id.replace(/<[A-Za-z0-9]+\.Arn>/, '<ARN>')))].sort()).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::<ARN>/index/*]',
      'AwsSolutions-IAM5[Resource::<ARN>/reports/*]',
      'AwsSolutions-IAM5[Resource::<ARN>/tmp/*]',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
      'AwsSolutions-SQS3',
    ]);
    for (const a of acks) {
      expect(a.reason, `${a.id} at ${a.path}`).toMatch(/^[A-Z].{40,}\.$/s);
      expect(a.reason, `${a.id} at ${a.path}: one sentence`).not.toMatch(/\.\s+[A-Z]/);
    }
    // The wildcard-resource acknowledgement sits on the dispatcher alone (dynamodb:ListStreams).
    expect(acks.filter((a) => a.id === 'AwsSolutions-IAM5[Resource::*]').map((a) => a.path)).toEqual([
      `${stack.node.path}/Dispatcher`,
    ]);
  });

  it('writes the acknowledgements into the template as an audit trail', () => {
    const withNag = Object.values(t.Resources).filter((r) => r.Metadata?.cdk_nag);
    expect(withNag.length).toBeGreaterThan(0);
    for (const r of withNag) {
      for (const rule of r.Metadata!.cdk_nag.rules_to_suppress)
        expect(rule.reason.length).toBeGreaterThan(40);
    }
  });

  it('does flag what it should (the check is live): an unencrypted queue without TLS enforcement', () => {
    const other = new App();
    const s = new Stack(other, 'Probe');
    new sqs.Queue(s, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    const report = new AwsSolutionsChecks().validateScope(other);
    expect(report.success).toBe(false);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });
});

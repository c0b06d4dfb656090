import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from '../../infra/constructs/app-function.ts';
import type { ConcurrencySettings, DeploymentMode } from '../../infra/settings.ts';
import { WebRiskOpsStack } from '../../infra/stack.ts';

/** The context of cdk.json (feature flags included), so tests synthesize what `cdk synth` does. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'),
).context;

export interface SynthOptions {
  deploymentMode?: DeploymentMode;
  /** Register cdk-nag's AWS Solutions pack as a validation plugin, as infra/app.ts does. */
  nag?: boolean;
  alarmEmail?: string;
  corsOrigins?: string[];
  concurrency?: ConcurrencySettings;
  withoutIndex?: string;
}

/**
 * The stack as infra/app.ts builds it, with stub function code (no esbuild run; see
 * infra/constructs/app-function.ts). Everything else in the template is what deploys.
 */
export function synthTestStack(opts: SynthOptions = {}) {
  const app = new App({ context: CDK_CONTEXT });
  const stack = new WebRiskOpsStack(app, 'webriskops-test', {
    stage: 'test',
    deploymentMode: opts.deploymentMode ?? 'cloud',
    functionCode: 'stub',
    alarmEmail: opts.alarmEmail,
    corsOrigins: opts.corsOrigins,
    concurrency: opts.concurrency,
    withoutIndex: opts.withoutIndex,
  });
  if (opts.nag) {
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
    );
  }
  const template = Template.fromStack(stack);
  return { app, stack, template, json: template.toJSON() as CfnTemplate };
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  DependsOn?: string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, any>;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
}

export const resourcesOfType = (t: CfnTemplate, type: string) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);

export interface FunctionInfo {
  logicalId: string;
  resource: CfnResource;
  env: Record<string, unknown>;
  roleId: string;
}

/** Lambda functions by Powertools service name (= route or worker name). */
export function functionsByName(t: CfnTemplate): Map<string, FunctionInfo> {
  const out = new Map<string, FunctionInfo>();
  for (const [logicalId, resource] of resourcesOfType(t, 'AWS::Lambda::Function')) {
    const env = resource.Properties?.Environment?.Variables ?? {};
    const name = env.POWERTOOLS_SERVICE_NAME;
    if (typeof name !== 'string') throw new Error(`${logicalId} has no POWERTOOLS_SERVICE_NAME`);
    out.set(name, { logicalId, resource, env, roleId: resource.Properties?.Role?.['Fn::GetAtt']?.[0] });
  }
  return out;
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, unknown>;
}

/** Every statement of every IAM policy attached to a role. */
export function statementsOfRole(t: CfnTemplate, roleId: string): Statement[] {
  const statements: Statement[] = [];
  for (const [, policy] of resourcesOfType(t, 'AWS::IAM::Policy')) {
    const roles: unknown[] = policy.Properties?.Roles ?? [];
    if (roles.some((r) => (r as { Ref?: string }).Ref === roleId)) {
      statements.push(...(policy.Properties?.PolicyDocument.Statement ?? []));
    }
  }
  const role = t.Resources[roleId];
  for (const inline of role?.Properties?.Policies ?? []) statements.push(...inline.PolicyDocument.Statement);
  return statements;
}

export const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** Logical id a `{Ref}` or `{Fn::GetAtt}` (possibly inside a Fn::Join) points at. */
export function referencedIds(value: unknown): string[] {
  const json = JSON.stringify(value);
  const ids = new Set<string>();
  for (const m of json.matchAll(/"Ref":"([A-Za-z0-9]+)"/g)) ids.add(m[1]!);
  for (const m of json.matchAll(/"Fn::GetAtt":\["([A-Za-z0-9]+)"/g)) ids.add(m[1]!);
  return [...ids];
}

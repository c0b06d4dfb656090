import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseOrigins } from '../lib/config.ts';
import {
  CONCURRENCY_CONTEXT,
  parseConcurrencySettings,
  parseDeploymentSettings,
  parseWithoutIndex,
} from './settings.ts';
import { WebRiskOpsStack } from './stack.ts';

/**
 * The CDK app (`npx cdk synth`, `npx cdk deploy`): one stack per stage, environment-agnostic (no
 * account or region lookups, so synth works offline; the deploy target comes from the AWS profile).
 *
 *   npx cdk deploy -c stage=prod -c deploymentMode=cloud [-c alarmEmail=ops@example.com]
 *     [-c corsOrigins=https://app.example.com,https://admin.example.com]
 *     [-c deliveryReservedConcurrency=… -c dispatcherReservedConcurrency=… -c scannerReservedConcurrency=…]
 *     [-c accountConcurrency=…] [-c withoutIndex=gsi1]   (docs/deploy.md, "Concurrency", "Upgrades")
 *
 * cdk-nag's AWS Solutions checks run on every synth as a CDK validation plugin: any finding that is not
 * acknowledged (with its reason, next to the resource) stops the synth. Acknowledgements are copied
 * into the template's resource Metadata (`cdk_nag.rules_to_suppress`) as an audit trail.
 */
const app = new App();
const settings = parseDeploymentSettings({
  stage: app.node.tryGetContext('stage'),
  deploymentMode: app.node.tryGetContext('deploymentMode'),
});
const alarmEmail = app.node.tryGetContext('alarmEmail');
const concurrency = parseConcurrencySettings(
  Object.fromEntries(
    [...Object.values(CONCURRENCY_CONTEXT), 'accountConcurrency'].map((key) => [
      key,
      app.node.tryGetContext(key),
    ]),
  ),
  settings.deploymentMode,
);

new WebRiskOpsStack(app, `webriskops-${settings.stage}`, {
  ...settings,
  alarmEmail: typeof alarmEmail === 'string' && alarmEmail.length > 0 ? alarmEmail : undefined,
  corsOrigins: parseOrigins(String(app.node.tryGetContext('corsOrigins') ?? '')),
  concurrency,
  withoutIndex: parseWithoutIndex(app.node.tryGetContext('withoutIndex')),
  description: `WebRiskOps backend (stage ${settings.stage}, ${settings.deploymentMode})`,
});
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
);
app.synth();

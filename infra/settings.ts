import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { parseConfig } from '../lib/config.ts';
import { DEPLOYMENT_MODES, type DeploymentMode } from '../lib/domain/plans.ts';
import { retryWindowSeconds } from '../lib/domain/retry-policy.ts';

/**
 * Deployment settings of the CDK app: the stage name and the deployment mode (cdk.json context or
 * `-c stage=… -c deploymentMode=…`), and what each mode sizes differently. Every mode deploys the same
 * resources and every route and worker; a mode only picks the capacity and retention profile.
 */
export type { DeploymentMode };

export interface DeploymentProfile {
  /** Default-stage throttling of the HTTP API (requests per second, burst). */
  apiRateLimit: number;
  apiBurstLimit: number;
  /** Most delivery-worker instances the SQS event source runs at once (2…1000). */
  deliveryMaxConcurrency: number;
  /** Retention of function logs and API access logs. */
  logRetention: RetentionDays;
}

export const DEPLOYMENT_PROFILES: Record<DeploymentMode, DeploymentProfile> = {
  /** WebRiskOps's own multi-tenant service. */
  cloud: {
    apiRateLimit: 200,
    apiBurstLimit: 400,
    deliveryMaxConcurrency: 20,
    logRetention: RetentionDays.ONE_MONTH,
  },
  /** One customer's installation in its own AWS account; logs kept longer for the customer's audits. */
  'self-hosted': {
    apiRateLimit: 50,
    apiBurstLimit: 100,
    deliveryMaxConcurrency: 5,
    logRetention: RetentionDays.THREE_MONTHS,
  },
  /** A small installation whose only outbound integration is signed webhooks to the customer's receiver. */
  'webhook-only': {
    apiRateLimit: 20,
    apiBurstLimit: 40,
    deliveryMaxConcurrency: 2,
    logRetention: RetentionDays.TWO_WEEKS,
  },
};

export interface DeploymentSettings {
  stage: string;
  deploymentMode: DeploymentMode;
}

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/** Validates the raw context values; the message names the context key to fix. */
export function parseDeploymentSettings(raw: {
  stage?: unknown;
  deploymentMode?: unknown;
}): DeploymentSettings {
  const stage = raw.stage ?? 'dev';
  if (typeof stage !== 'string' || !STAGE_PATTERN.test(stage)) {
    throw new Error(
      `context "stage" must match ${STAGE_PATTERN} (lowercase letter first, up to 20 characters), got ${JSON.stringify(stage)}`,
    );
  }
  const mode = raw.deploymentMode ?? 'cloud';
  if (typeof mode !== 'string' || !(DEPLOYMENT_MODES as readonly string[]).includes(mode)) {
    throw new Error(
      `context "deploymentMode" must be one of ${DEPLOYMENT_MODES.join(', ')}, got ${JSON.stringify(mode)}`,
    );
  }
  return { stage, deploymentMode: mode as DeploymentMode };
}

/**
 * The delivery schedule the functions run with: lib/config.ts's defaults, read from the same schema,
 * so the redrive limit and the age alarm are computed from the values the code actually uses.
 */
export const DELIVERY_SCHEDULE = parseConfig({ WRO_TABLE_NAME: 'schedule-defaults' }).delivery;

/**
 * The longest a message can legitimately wait in the deliveries queue under the backoff schedule:
 * the largest backoff delay of every retry (attempts 1 … maxAttempts − 1).
 */
export function worstCaseBackoffSeconds(
  schedule: Parameters<typeof retryWindowSeconds>[0] = DELIVERY_SCHEDULE,
): number {
  return retryWindowSeconds(schedule).max;
}

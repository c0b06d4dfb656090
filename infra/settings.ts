import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { parseConfig } from '../lib/config.ts';
import { TABLE } from '../lib/db/table-definition.ts';
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
  /**
   * Default reserved concurrency of the dispatcher (context `dispatcherReservedConcurrency`): it
   * runs at most one invocation per stream shard (parallelization factor 1), about one shard per
   * table partition, so this keeps that many executions for it whatever the API does.
   */
  dispatcherReservedConcurrency: number;
  /**
   * Default reserved concurrency of `scanner.results.store` (context `scannerReservedConcurrency`):
   * a cap on concurrent postbacks (up to 1 GB and 25 s each), so a postback surge cannot take the
   * account's pool from the other routes and the workers.
   */
  scannerReservedConcurrency: number;
  /** Retention of function logs and API access logs. */
  logRetention: RetentionDays;
}

export const DEPLOYMENT_PROFILES: Record<DeploymentMode, DeploymentProfile> = {
  /** WebRiskOps's own multi-tenant service. */
  cloud: {
    apiRateLimit: 200,
    apiBurstLimit: 400,
    deliveryMaxConcurrency: 20,
    dispatcherReservedConcurrency: 10,
    scannerReservedConcurrency: 100,
    logRetention: RetentionDays.ONE_MONTH,
  },
  /** One customer's installation in its own AWS account; logs kept longer for the customer's audits. */
  'self-hosted': {
    apiRateLimit: 50,
    apiBurstLimit: 100,
    deliveryMaxConcurrency: 5,
    dispatcherReservedConcurrency: 10,
    scannerReservedConcurrency: 25,
    logRetention: RetentionDays.THREE_MONTHS,
  },
  /** A small installation whose only outbound integration is signed webhooks to the customer's receiver. */
  'webhook-only': {
    apiRateLimit: 20,
    apiBurstLimit: 40,
    deliveryMaxConcurrency: 2,
    dispatcherReservedConcurrency: 10,
    scannerReservedConcurrency: 10,
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

/** AWS refuses a reservation that leaves fewer unreserved concurrent executions in the account. */
export const LAMBDA_MIN_UNRESERVED_CONCURRENCY = 100;
/** Lambda's default quota of concurrent executions per account and region (new accounts may start lower). */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;

/**
 * Reserved concurrency of the three functions that get one (context keys below); `undefined` means
 * unreserved (context value `none`). The delivery worker's reservation defaults to its event
 * source's maximum concurrency and may not be lower (AWS: reserved ≥ the sum of the SQS event
 * sources' maximum concurrency, or Lambda throttles and messages go back to the queue).
 */
export interface ConcurrencySettings {
  deliveryWorker: number | undefined;
  dispatcher: number | undefined;
  scannerRoute: number | undefined;
  /** The account's quota the reservations are checked against (context `accountConcurrency`). */
  accountConcurrency: number;
}

/** The context key of each reservation. */
export const CONCURRENCY_CONTEXT = {
  deliveryWorker: 'deliveryReservedConcurrency',
  dispatcher: 'dispatcherReservedConcurrency',
  scannerRoute: 'scannerReservedConcurrency',
} as const satisfies Record<Exclude<keyof ConcurrencySettings, 'accountConcurrency'>, string>;

/** A context value as a whole number ≥ 1 (cdk.json gives numbers, `-c key=…` strings), else undefined. */
function wholeNumber(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}

/**
 * The reservations from the context, with the deployment mode's defaults; fails naming the context
 * key when a value is not a whole number ≥ 1 or `none`, when the delivery worker's is below its
 * event source's maximum concurrency, or when together they leave the account fewer than
 * LAMBDA_MIN_UNRESERVED_CONCURRENCY unreserved executions (AWS would refuse the deploy).
 */
export function parseConcurrencySettings(
  raw: Record<string, unknown>,
  mode: DeploymentMode,
): ConcurrencySettings {
  const profile = DEPLOYMENT_PROFILES[mode];
  const defaults = {
    deliveryWorker: profile.deliveryMaxConcurrency,
    dispatcher: profile.dispatcherReservedConcurrency,
    scannerRoute: profile.scannerReservedConcurrency,
  };
  const reservation = (field: keyof typeof CONCURRENCY_CONTEXT): number | undefined => {
    const key = CONCURRENCY_CONTEXT[field];
    const v = raw[key];
    if (v === undefined || v === '') return defaults[field];
    if (v === 'none') return undefined;
    const n = wholeNumber(v);
    if (n === undefined) {
      throw new Error(
        `context "${key}" must be a whole number of at least 1 or "none", got ${JSON.stringify(v)}`,
      );
    }
    return n;
  };
  const accountRaw = raw.accountConcurrency;
  const accountConcurrency =
    accountRaw === undefined || accountRaw === '' ? DEFAULT_ACCOUNT_CONCURRENCY : wholeNumber(accountRaw);
  if (accountConcurrency === undefined) {
    throw new Error(
      `context "accountConcurrency" must be the account's concurrent-executions quota (a whole number), got ${JSON.stringify(accountRaw)}`,
    );
  }
  const settings: ConcurrencySettings = {
    deliveryWorker: reservation('deliveryWorker'),
    dispatcher: reservation('dispatcher'),
    scannerRoute: reservation('scannerRoute'),
    accountConcurrency,
  };
  if (settings.deliveryWorker !== undefined && settings.deliveryWorker < profile.deliveryMaxConcurrency) {
    throw new Error(
      `context "${CONCURRENCY_CONTEXT.deliveryWorker}" (${settings.deliveryWorker}) must be at least the deliveries event source's maximum concurrency (${profile.deliveryMaxConcurrency} in mode ${mode}), or Lambda throttles deliveries back to the queue`,
    );
  }
  const reserved = (Object.keys(CONCURRENCY_CONTEXT) as (keyof typeof CONCURRENCY_CONTEXT)[]).filter(
    (f) => settings[f] !== undefined,
  );
  const total = reserved.reduce((sum, f) => sum + (settings[f] ?? 0), 0);
  if (total > 0 && total > accountConcurrency - LAMBDA_MIN_UNRESERVED_CONCURRENCY) {
    throw new Error(
      `reserved concurrency ${reserved.map((f) => `${CONCURRENCY_CONTEXT[f]} ${settings[f]}`).join(' + ')} = ${total} leaves fewer than the ${LAMBDA_MIN_UNRESERVED_CONCURRENCY} unreserved executions AWS requires of an account with context "accountConcurrency" ${accountConcurrency}: lower them, set them to "none", or raise the account's quota (docs/deploy.md, "Concurrency")`,
    );
  }
  return settings;
}

/**
 * Context `withoutIndex`: deploy the table without this index, the first of the two deploys that
 * re-create an index with a new projection (CloudFormation cannot change a projection in place;
 * docs/deploy.md, "Upgrades: the account index"). Undefined when not set.
 */
export function parseWithoutIndex(raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const names: string[] = [TABLE.gsi1.indexName, TABLE.gsi2.indexName];
  if (typeof raw !== 'string' || !names.includes(raw)) {
    throw new Error(`context "withoutIndex" must be one of ${names.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw;
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

/**
 * Configuration, read once from the environment and validated. A bad value fails fast with a message
 * that names the variable, every bad variable at once. AWS endpoints for local use come from the SDK's
 * own service-specific variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_S3).
 *
 * Written as small readers rather than a zod schema: every function parses this at its cold start,
 * and building a 20-field schema cost ~6 ms of a ~45 ms floor there (BENCHMARKS.md, "Cold start");
 * the rules are a length, an integer, a URL, a flag and a key size.
 */
class Invalid extends Error {}
type Env = Record<string, string | undefined>;
type Reader<T> = (value: string | undefined) => T;

const text =
  (min: number, message = `must be at least ${min} characters`): Reader<string | undefined> =>
  (v) => {
    if (v !== undefined && v.length < min) throw new Invalid(message);
    return v;
  };
const present =
  <T>(read: Reader<T | undefined>): Reader<T> =>
  (v) => {
    if (v === undefined) throw new Invalid('is required');
    return read(v) as T;
  };
const positiveInt =
  (fallback: number): Reader<number> =>
  (v) => {
    if (v === undefined) return fallback;
    const n = v.trim() === '' ? Number.NaN : Number(v);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Invalid('must be a positive integer');
    return n;
  };
const httpUrl: Reader<string | undefined> = (v) => {
  if (v !== undefined && !/^https?:$/.test(URL.parse(v)?.protocol ?? '')) {
    throw new Invalid('must be an absolute http(s) URL');
  }
  return v;
};
const flag: Reader<boolean> = (v) => {
  if (v === undefined) return false;
  if (!['0', '1', 'true', 'false'].includes(v)) throw new Invalid('must be one of 0, 1, true, false');
  return v === '1' || v === 'true';
};
const key32: Reader<string | undefined> = (v) => {
  if (v !== undefined && Buffer.from(v, 'base64').length !== 32) {
    throw new Invalid('must be base64 of exactly 32 bytes');
  }
  return v;
};

const VARIABLES = {
  WRO_TABLE_NAME: present(text(3, 'must name the DynamoDB table')),
  WRO_DELIVERIES_QUEUE_URL: httpUrl,
  WRO_ARTIFACTS_BUCKET: text(3),
  /** Local only: artifacts live in this folder instead of S3. */
  WRO_ARTIFACTS_DIR: text(1),
  /**
   * Local only: the local artifact server (infra/local/artifact-server.ts) that serves that folder to
   * signed, expiring URLs as S3 serves presigned ones, and the key (base64 of 32 bytes) it signs with.
   */
  WRO_LOCAL_ARTIFACTS_URL: httpUrl,
  WRO_LOCAL_ARTIFACTS_KEY: key32,
  /** Local only: the scanner shared secret in plain text. On AWS, WRO_SCANNER_SECRET_ARN is used. */
  WRO_SCANNER_SHARED_SECRET: text(16),
  WRO_SCANNER_SECRET_ARN: text(20),
  /** Local only: base64 of the 32-byte key that encrypts targets' signing secrets at rest (AES-256-GCM). */
  WRO_TARGET_SECRETS_KEY: key32,
  /** On AWS: the Secrets Manager secret holding that key. */
  WRO_TARGET_SECRETS_KEY_ARN: text(20),
  WRO_ALLOW_PRIVATE_TARGETS: flag,
  WRO_IDEMPOTENCY_TTL_SECONDS: positiveInt(24 * 3600),
  WRO_IDEMPOTENCY_LOCK_SECONDS: positiveInt(30),
  WRO_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  WRO_SCANNER_RATE_LIMIT: positiveInt(1200),
  /**
   * Delivery retry schedule: first delay, cap (seconds) and attempt limit. The defaults retry for
   * 3.2–3.9 days (docs/ticket-exports.md, "Outcomes and retries", lists every delay).
   */
  WRO_DELIVERY_BASE_DELAY_SECONDS: positiveInt(5),
  WRO_DELIVERY_MAX_DELAY_SECONDS: positiveInt(12 * 3600),
  WRO_DELIVERY_MAX_ATTEMPTS: positiveInt(21),
  WRO_DELIVERY_TIMEOUT_MS: positiveInt(10_000),
  /**
   * How long a delivery worker holds an export's lease. Above the delivery function's timeout (so a
   * running send is never overtaken) and below the queue's visibility timeout (so a crashed worker's
   * message finds the lease expired when it comes back).
   */
  WRO_DELIVERY_LEASE_SECONDS: positiveInt(60),
  /**
   * A target whose deliveries have failed without a single success for this long is disabled
   * (`receiver_failing`, with a target.disabled event; docs/ticket-exports.md, "Disable").
   */
  WRO_TARGET_DISABLE_AFTER_FAILING_SECONDS: positiveInt(5 * 24 * 3600),
  WRO_STAGE: (v: string | undefined) => v ?? 'local',
  /** Browser origins allowed by CORS, comma-separated (none by default). */
  WRO_CORS_ORIGINS: (v: string | undefined) => v,
} satisfies Record<string, Reader<unknown>>;

type RawConfig = { [K in keyof typeof VARIABLES]: ReturnType<(typeof VARIABLES)[K]> };

function readVariables(env: Env): RawConfig {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, read] of Object.entries(VARIABLES) as [string, Reader<unknown>][]) {
    try {
      out[name] = read(env[name]);
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      problems.push(`  ${name}: ${err.message}`);
    }
  }
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return out as RawConfig;
}

export interface Config {
  tableName: string;
  deliveriesQueueUrl?: string;
  artifactsBucket?: string;
  artifactsDir?: string;
  localArtifacts?: { url: string; key: string };
  scannerSharedSecret?: string;
  scannerSecretArn?: string;
  targetSecretsKey?: string;
  targetSecretsKeyArn?: string;
  allowPrivateTargets: boolean;
  idempotencyTtlSeconds: number;
  idempotencyLockSeconds: number;
  rateLimitWindowSeconds: number;
  scannerRateLimit: number;
  delivery: {
    baseDelaySeconds: number;
    maxDelaySeconds: number;
    maxAttempts: number;
    timeoutMs: number;
    leaseSeconds: number;
    disableAfterFailingSeconds: number;
  };
  stage: string;
  corsOrigins: string[];
}

export class ConfigError extends Error {}

/** Comma-separated origins → list (empty entries dropped): WRO_CORS_ORIGINS and the CDK `corsOrigins`. */
export function parseOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const e = readVariables(env);
  return {
    tableName: e.WRO_TABLE_NAME,
    deliveriesQueueUrl: e.WRO_DELIVERIES_QUEUE_URL,
    artifactsBucket: e.WRO_ARTIFACTS_BUCKET,
    artifactsDir: e.WRO_ARTIFACTS_DIR,
    localArtifacts:
      e.WRO_LOCAL_ARTIFACTS_URL && e.WRO_LOCAL_ARTIFACTS_KEY
        ? { url: e.WRO_LOCAL_ARTIFACTS_URL, key: e.WRO_LOCAL_ARTIFACTS_KEY }
        : undefined,
    scannerSharedSecret: e.WRO_SCANNER_SHARED_SECRET,
    scannerSecretArn: e.WRO_SCANNER_SECRET_ARN,
    targetSecretsKey: e.WRO_TARGET_SECRETS_KEY,
    targetSecretsKeyArn: e.WRO_TARGET_SECRETS_KEY_ARN,
    allowPrivateTargets: e.WRO_ALLOW_PRIVATE_TARGETS,
    idempotencyTtlSeconds: e.WRO_IDEMPOTENCY_TTL_SECONDS,
    idempotencyLockSeconds: e.WRO_IDEMPOTENCY_LOCK_SECONDS,
    rateLimitWindowSeconds: e.WRO_RATE_LIMIT_WINDOW_SECONDS,
    scannerRateLimit: e.WRO_SCANNER_RATE_LIMIT,
    delivery: {
      baseDelaySeconds: e.WRO_DELIVERY_BASE_DELAY_SECONDS,
      maxDelaySeconds: e.WRO_DELIVERY_MAX_DELAY_SECONDS,
      maxAttempts: e.WRO_DELIVERY_MAX_ATTEMPTS,
      timeoutMs: e.WRO_DELIVERY_TIMEOUT_MS,
      leaseSeconds: e.WRO_DELIVERY_LEASE_SECONDS,
      disableAfterFailingSeconds: e.WRO_TARGET_DISABLE_AFTER_FAILING_SECONDS,
    },
    stage: e.WRO_STAGE,
    corsOrigins: parseOrigins(e.WRO_CORS_ORIGINS),
  };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use (so tests can set the environment first). */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/**
 * On Lambda, parse the configuration during the cold start so a bad value fails there, with a message
 * naming the variable. Locally and in tests the environment is set after import, so this waits.
 */
export function loadConfigAtColdStart(): void {
  if (process.env.AWS_LAMBDA_FUNCTION_NAME) getConfig();
}

/** A value a particular function needs; fails with the variable's name when it is not set. */
export function required<T>(value: T | undefined, variable: string): T {
  if (value === undefined) throw new ConfigError(`Invalid configuration:\n  ${variable}: is required here`);
  return value;
}

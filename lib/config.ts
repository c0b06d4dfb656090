import * as z from './schemas/zod.ts';

/**
 * Configuration, read once from the environment and validated. A bad value fails fast with a message
 * that names the variable. AWS endpoints for local use come from the SDK's own service-specific
 * variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_S3).
 */
const FLAG_VALUES = ['0', '1', 'true', 'false'] as const;
const flag = z.pipe(
  z.optional(z.enum(FLAG_VALUES)),
  z.transform((v: (typeof FLAG_VALUES)[number] | undefined) => v === '1' || v === 'true'),
);

// One schema per kind of value, shared by the variables (each schema built costs cold-start time).
const PositiveInt = z.coerce.number().check(z.int(), z.positive());
const positiveInt = (def: number) => z._default(PositiveInt, def);
const Arn = z.optional(z.string().check(z.minLength(20)));
const text = (min: number, message?: string) => z.string().check(z.minLength(min, message));

const ConfigSchema = z.object({
  WRO_TABLE_NAME: text(3, 'must name the DynamoDB table'),
  WRO_DELIVERIES_QUEUE_URL: z.optional(z.url()),
  WRO_ARTIFACTS_BUCKET: z.optional(text(3)),
  /** Local only: artifacts live in this folder instead of S3. */
  WRO_ARTIFACTS_DIR: z.optional(text(1)),
  /** Local only: the scanner shared secret in plain text. On AWS, WRO_SCANNER_SECRET_ARN is used. */
  WRO_SCANNER_SHARED_SECRET: z.optional(text(16, 'must be at least 16 characters')),
  WRO_SCANNER_SECRET_ARN: Arn,
  /** Local only: base64 of the 32-byte key that encrypts targets' signing secrets at rest (AES-256-GCM). */
  WRO_TARGET_SECRETS_KEY: z.optional(
    z
      .string()
      .check(
        z.refine((v: string) => Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes'),
      ),
  ),
  /** On AWS: the Secrets Manager secret holding that key. */
  WRO_TARGET_SECRETS_KEY_ARN: Arn,
  WRO_ALLOW_PRIVATE_TARGETS: flag,
  WRO_IDEMPOTENCY_TTL_SECONDS: positiveInt(24 * 3600),
  WRO_IDEMPOTENCY_LOCK_SECONDS: positiveInt(30),
  WRO_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  WRO_SCANNER_RATE_LIMIT: positiveInt(1200),
  /** Delivery retry schedule: first delay, cap (seconds) and attempt limit. */
  WRO_DELIVERY_BASE_DELAY_SECONDS: positiveInt(30),
  WRO_DELIVERY_MAX_DELAY_SECONDS: positiveInt(6 * 3600),
  WRO_DELIVERY_MAX_ATTEMPTS: positiveInt(8),
  WRO_DELIVERY_TIMEOUT_MS: positiveInt(10_000),
  /**
   * How long a delivery worker holds an export's lease. Above the delivery function's timeout (so a
   * running send is never overtaken) and below the queue's visibility timeout (so a crashed worker's
   * message finds the lease expired when it comes back).
   */
  WRO_DELIVERY_LEASE_SECONDS: positiveInt(60),
  WRO_STAGE: z._default(z.string(), 'local'),
  /** Browser origins allowed by CORS, comma-separated (none by default). */
  WRO_CORS_ORIGINS: z.optional(z.string()),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

export interface Config {
  tableName: string;
  deliveriesQueueUrl?: string;
  artifactsBucket?: string;
  artifactsDir?: string;
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
  // Parsed once per process: interpreted (jitless), not compiled into a function first.
  const parsed = ConfigSchema.safeParse(env, { jitless: true });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    tableName: e.WRO_TABLE_NAME,
    deliveriesQueueUrl: e.WRO_DELIVERIES_QUEUE_URL,
    artifactsBucket: e.WRO_ARTIFACTS_BUCKET,
    artifactsDir: e.WRO_ARTIFACTS_DIR,
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

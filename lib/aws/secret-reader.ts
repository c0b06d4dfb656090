import { ConfigError } from '../config.ts';

/**
 * Reads a Secrets Manager secret's string by ARN. The functions that need one are handed
 * lib/aws/secrets-manager.ts by their entry; the others are built without it.
 */
export type SecretReader = (arn: string) => Promise<string | undefined>;

/** The secret an ARN variable names; a function built without a reader fails with the variable. */
export function readSecret(
  secrets: SecretReader | undefined,
  arn: string,
  variable: string,
): Promise<string | undefined> {
  if (!secrets) {
    throw new ConfigError(
      `Invalid configuration:\n  ${variable}: this function was built without a Secrets Manager reader`,
    );
  }
  return secrets(arn);
}

import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretReader } from './secret-reader.ts';

/**
 * Secrets Manager through Powertools Parameters: each secret is cached for 5 minutes, so a rotated
 * value is picked up without a redeploy and a warm function does not read it on every request.
 */
export const secretsManager: SecretReader = async (arn) => {
  const value = await getSecret(arn, { maxAge: 300 });
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

import { readSecret, type SecretReader } from '../aws/secret-reader.ts';
import type { Config } from '../config.ts';
import { UnauthorizedError } from '../errors.ts';
import { constantTimeEqual } from './constant-time.ts';

/**
 * The configured scanner shared secret: from Secrets Manager on AWS (WRO_SCANNER_SECRET_ARN, read
 * with the reader the function was given), from WRO_SCANNER_SHARED_SECRET locally. None → undefined.
 */
export async function loadScannerSecret(
  config: Config,
  secrets: SecretReader | undefined,
): Promise<string | undefined> {
  if (config.scannerSecretArn) return readSecret(secrets, config.scannerSecretArn, 'WRO_SCANNER_SECRET_ARN');
  return config.scannerSharedSecret;
}

/** Fail closed: no configured secret, no header, or a mismatch are all 401 UNAUTHORIZED. */
export async function verifyScannerSecret(
  config: Config,
  secrets: SecretReader | undefined,
  presented: string | undefined,
): Promise<void> {
  const expected = await loadScannerSecret(config, secrets);
  if (!expected || !presented || !constantTimeEqual(presented, expected)) {
    throw new UnauthorizedError('X-Scanner-Secret is missing, invalid or no scanner secret is configured.');
  }
}

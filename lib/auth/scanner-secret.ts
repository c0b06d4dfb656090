import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { Config } from '../config.ts';
import { UnauthorizedError } from '../errors.ts';
import { constantTimeEqual } from './constant-time.ts';

/**
 * The configured scanner shared secret: from Secrets Manager on AWS (cached by Powertools for
 * 5 minutes, so rotation is picked up), from WRO_SCANNER_SHARED_SECRET locally. None → undefined.
 */
export async function loadScannerSecret(config: Config): Promise<string | undefined> {
  if (config.scannerSecretArn) {
    const value = await getSecret(config.scannerSecretArn, { maxAge: 300 });
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  }
  return config.scannerSharedSecret;
}

/** Fail closed: no configured secret, no header, or a mismatch are all 401 UNAUTHORIZED. */
export async function verifyScannerSecret(config: Config, presented: string | undefined): Promise<void> {
  const expected = await loadScannerSecret(config);
  if (!expected || !presented || !constantTimeEqual(presented, expected)) {
    throw new UnauthorizedError('X-Scanner-Secret is missing, invalid or no scanner secret is configured.');
  }
}

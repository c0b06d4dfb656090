import { createHash, randomBytes } from 'node:crypto';

/** API tokens: 32 random bytes (256 bits), base64url, with a recognisable prefix for secret scanners. */
export const TOKEN_PREFIX = 'wro_';

export function generateApiToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** Only this hash is stored. A plain SHA-256 fits: the token has 256 bits of entropy, nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

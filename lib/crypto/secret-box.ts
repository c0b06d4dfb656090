import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { readSecret, type SecretReader } from '../aws/secret-reader.ts';
import type { Config } from '../config.ts';
import { ConfigError } from '../config.ts';

/**
 * Encryption at rest of targets' signing secrets: AES-256-GCM with a 96-bit random IV and the
 * target id as additional authenticated data (a ciphertext copied onto another target does not
 * decrypt). Sealed form: `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts); the key id is the
 * first 8 hex characters of SHA-256(key), so a wrong key fails with a clear message.
 *
 * The key: WRO_TARGET_SECRETS_KEY (base64 of 32 bytes) locally; on AWS the Secrets Manager secret
 * named by WRO_TARGET_SECRETS_KEY_ARN (read with the function's reader, cached 5 minutes). A SecretString that is
 * base64 of exactly 32 bytes is used as is; any other string of at least 32 characters (e.g. a
 * generated password) is stretched with HKDF-SHA256.
 */

export interface SecretKey {
  key: Buffer;
  id: string;
}

const VERSION = 'v1';

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/** Least recently used out first once `max` entries are held. */
function remember<K, V>(cache: Map<K, V>, key: K, value: V, max: number): V {
  cache.delete(key);
  cache.set(key, value);
  while (cache.size > max) cache.delete(cache.keys().next().value as K);
  return value;
}

function recall<K, V>(cache: Map<K, V>, key: K): V | undefined {
  const value = cache.get(key);
  if (value !== undefined) remember(cache, key, value, Number.POSITIVE_INFINITY);
  return value;
}

/**
 * Keys derived from their material, so the HKDF and the key id are computed once per key, not once per
 * delivery. Keyed by the material itself: a rotated key is a new entry, never the old key.
 */
const derivedKeys = new Map<string, SecretKey>();
const MAX_DERIVED_KEYS = 4;

export function secretKeyFromString(material: string): SecretKey {
  return (
    recall(derivedKeys, material) ?? remember(derivedKeys, material, deriveKey(material), MAX_DERIVED_KEYS)
  );
}

function deriveKey(material: string): SecretKey {
  const decoded = Buffer.from(material, 'base64');
  let key: Buffer;
  if (decoded.length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(material.trim())) key = decoded;
  else if (material.length >= 32)
    key = Buffer.from(hkdfSync('sha256', material, 'webriskops', 'target-signing-secrets/v1', 32));
  else throw new ConfigError('The target-secrets key must be base64 of 32 bytes or at least 32 characters.');
  return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 8) };
}

/** The configured key (Secrets Manager on AWS, cached; the environment locally). */
export async function loadSecretKey(config: Config, secrets: SecretReader | undefined): Promise<SecretKey> {
  if (config.targetSecretsKeyArn) {
    const value = await readSecret(secrets, config.targetSecretsKeyArn, 'WRO_TARGET_SECRETS_KEY_ARN');
    if (!value) {
      throw new ConfigError('WRO_TARGET_SECRETS_KEY_ARN names a secret without a SecretString.');
    }
    return secretKeyFromString(value);
  }
  if (config.targetSecretsKey) return secretKeyFromString(config.targetSecretsKey);
  throw new ConfigError(
    'Invalid configuration:\n  WRO_TARGET_SECRETS_KEY or WRO_TARGET_SECRETS_KEY_ARN: is required here',
  );
}

export function seal(key: SecretKey, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    VERSION,
    key.id,
    iv.toString('base64url'),
    tag.toString('base64url'),
    ct.toString('base64url'),
  ].join('.');
}

export function open(key: SecretKey, sealed: string, aad: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('Unknown sealed-secret format.');
  const [, keyId, iv, tag, ct] = parts as [string, string, string, string, string];
  if (keyId !== key.id) throw new SecretBoxError('The secret was sealed with another key.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('The sealed secret does not authenticate.');
  }
}

/**
 * Opened secrets, per key object (derived once per key material, above), by additional data and
 * sealed value: a rotated secret is a new sealed value (a fresh IV), so it is never answered from an
 * older entry, and a sealed value copied onto another target (other additional data) is opened, and
 * refused, like any other. At most MAX_OPENED_PER_KEY secrets per key stay in memory.
 */
const opened = new WeakMap<SecretKey, Map<string, string>>();
export const MAX_OPENED_PER_KEY = 256;

/** `open`, remembered: for values opened over and over (a target's signing secret at every delivery). */
export function openMemoized(key: SecretKey, sealed: string, aad: string): string {
  let cache = opened.get(key);
  if (!cache) {
    cache = new Map();
    opened.set(key, cache);
  }
  const id = `${aad}\u0000${sealed}`;
  return recall(cache, id) ?? remember(cache, id, open(key, sealed, aad), MAX_OPENED_PER_KEY);
}

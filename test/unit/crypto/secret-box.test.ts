import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_CACHE_MS, secretsExtension } from '../../../lib/aws/secrets-manager.ts';
import { parseConfig } from '../../../lib/config.ts';
import {
  loadSecretKey,
  open,
  SecretBoxError,
  seal,
  secretKeyFromString,
} from '../../../lib/crypto/secret-box.ts';
import { fakeSecretsExtension } from '../../support/secrets-extension.ts';

const keyB64 = randomBytes(32).toString('base64');
const key = secretKeyFromString(keyB64);
const SECRET = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

describe('secret box (AES-256-GCM)', () => {
  it('round-trips and never contains the plaintext', () => {
    const sealed = seal(key, SECRET, 'tgt_a');
    expect(sealed.startsWith(`v1.${key.id}.`)).toBe(true);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(SECRET.slice(6));
    expect(open(key, sealed, 'tgt_a')).toBe(SECRET);
  });

  it('uses a fresh IV each time', () => {
    expect(seal(key, SECRET, 'tgt_a')).not.toBe(seal(key, SECRET, 'tgt_a'));
  });

  it('binds the ciphertext to its target id (AAD)', () => {
    const sealed = seal(key, SECRET, 'tgt_a');
    expect(() => open(key, sealed, 'tgt_b')).toThrow(SecretBoxError);
  });

  it('refuses a tampered ciphertext or tag, another key, and unknown formats', () => {
    const sealed = seal(key, SECRET, 'tgt_a');
    const parts = sealed.split('.');
    const flip = (s: string) => (s[0] === 'A' ? `B${s.slice(1)}` : `A${s.slice(1)}`);
    expect(() => open(key, [...parts.slice(0, 4), flip(parts[4]!)].join('.'), 'tgt_a')).toThrow(
      SecretBoxError,
    );
    expect(() => open(key, [...parts.slice(0, 3), flip(parts[3]!), parts[4]].join('.'), 'tgt_a')).toThrow(
      SecretBoxError,
    );
    const other = secretKeyFromString(randomBytes(32).toString('base64'));
    expect(() => open(other, sealed, 'tgt_a')).toThrow(/another key/);
    expect(() => open(key, 'plain', 'tgt_a')).toThrow(/format/);
  });

  it('takes base64 of 32 bytes as is, stretches long passwords with HKDF, refuses short ones', () => {
    expect(secretKeyFromString(keyB64).key.equals(Buffer.from(keyB64, 'base64'))).toBe(true);
    const stretched = secretKeyFromString('a generated password with more than thirty-two characters');
    expect(stretched.key.length).toBe(32);
    expect(() => secretKeyFromString('short')).toThrow(/32/);
  });
});

describe('loading the key', () => {
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wro-target-keys-AbCdEf';
  let extension: Awaited<ReturnType<typeof fakeSecretsExtension>>;
  beforeAll(async () => {
    extension = await fakeSecretsExtension({ token: 'session-token', secrets: { [arn]: keyB64 } });
  });
  afterAll(() => extension.close());

  it('reads WRO_TARGET_SECRETS_KEY locally', async () => {
    const config = parseConfig({ WRO_TABLE_NAME: 'tbl', WRO_TARGET_SECRETS_KEY: keyB64 });
    expect((await loadSecretKey(config, undefined)).id).toBe(key.id);
  });

  it('reads the Secrets Manager secret on AWS, once per cache period', async () => {
    let now = 1_000_000;
    const secrets = secretsExtension({ port: extension.port, token: 'session-token', now: () => now });
    const config = parseConfig({ WRO_TABLE_NAME: 'tbl', WRO_TARGET_SECRETS_KEY_ARN: arn });
    const before = extension.requests.length;
    expect((await loadSecretKey(config, secrets)).id).toBe(key.id);
    expect((await loadSecretKey(config, secrets)).id).toBe(key.id);
    expect(extension.requests.slice(before)).toEqual([{ secretId: arn, token: 'session-token' }]);
    now += SECRET_CACHE_MS;
    expect((await loadSecretKey(config, secrets)).id).toBe(key.id);
    expect(extension.requests.length - before).toBe(2);
  });

  it('fails without caching when the extension refuses, and never with the value in the message', async () => {
    const secrets = secretsExtension({ port: extension.port, token: 'wrong-token' });
    const config = parseConfig({ WRO_TABLE_NAME: 'tbl', WRO_TARGET_SECRETS_KEY_ARN: arn });
    await expect(loadSecretKey(config, secrets)).rejects.toThrow(/answered 401/);
    await expect(loadSecretKey(config, secrets)).rejects.toThrow(/answered 401/);
    const missing = parseConfig({ WRO_TABLE_NAME: 'tbl', WRO_TARGET_SECRETS_KEY_ARN: `${arn}-gone` });
    await expect(
      loadSecretKey(missing, secretsExtension({ port: extension.port, token: 'session-token' })),
    ).rejects.toThrow(/answered 400/);
  });

  it('fails with the variable names when no key is configured', async () => {
    const config = parseConfig({ WRO_TABLE_NAME: 'tbl' });
    await expect(loadSecretKey(config, undefined)).rejects.toThrow(/WRO_TARGET_SECRETS_KEY/);
  });

  it('says which variable needs a reader when a function was built without one', async () => {
    const config = parseConfig({ WRO_TABLE_NAME: 'tbl', WRO_TARGET_SECRETS_KEY_ARN: arn });
    await expect(loadSecretKey(config, undefined)).rejects.toThrow(
      /WRO_TARGET_SECRETS_KEY_ARN: this function was built without a Secrets Manager reader/,
    );
  });
});

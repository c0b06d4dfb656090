import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../../lib/config.ts';
import {
  MAX_OPENED_PER_KEY,
  openMemoized,
  SecretBoxError,
  seal,
  secretKeyFromString,
} from '../../../lib/crypto/secret-box.ts';
import { openSigningSecrets } from '../../../lib/domain/targets.ts';
import { sampleTarget } from '../../support/dynamodb-fakes.ts';

/**
 * The delivery worker opens a target's signing secret at every attempt: the derived key and the
 * opened secret are remembered, keyed so that a rotated secret or key is never answered stale.
 */
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>();
  return { ...real, hkdfSync: vi.fn(real.hkdfSync), createDecipheriv: vi.fn(real.createDecipheriv) };
});
const hkdf = vi.mocked(crypto.hkdfSync);
const decipher = vi.mocked(crypto.createDecipheriv);
beforeEach(() => {
  hkdf.mockClear();
  decipher.mockClear();
});

const SECRET = 'whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=';

describe('derived keys', () => {
  it('are derived once per key material; another material is another key', () => {
    const material = `a-generated-password-of-enough-length-${Math.random()}`;
    const first = secretKeyFromString(material);
    expect(secretKeyFromString(material)).toBe(first);
    expect(hkdf).toHaveBeenCalledTimes(1);
    const other = secretKeyFromString(`${material}-rotated`);
    expect(other.id).not.toBe(first.id);
    expect(hkdf).toHaveBeenCalledTimes(2);
  });

  it('a material that is no key is refused every time, not remembered', () => {
    expect(() => secretKeyFromString('short')).toThrow();
    expect(() => secretKeyFromString('short')).toThrow();
  });
});

describe('opened secrets', () => {
  const key = secretKeyFromString(crypto.randomBytes(32).toString('base64'));

  it('are opened once per sealed value', () => {
    const sealed = seal(key, SECRET, 'tgt_a');
    expect(openMemoized(key, sealed, 'tgt_a')).toBe(SECRET);
    expect(openMemoized(key, sealed, 'tgt_a')).toBe(SECRET);
    expect(decipher).toHaveBeenCalledTimes(1);
  });

  it('a rotated secret (a new sealed value) is never answered from the old entry', () => {
    const before = seal(key, SECRET, 'tgt_b');
    expect(openMemoized(key, before, 'tgt_b')).toBe(SECRET);
    const rotated = seal(key, 'whsec_rotated', 'tgt_b');
    expect(openMemoized(key, rotated, 'tgt_b')).toBe('whsec_rotated');
    expect(decipher).toHaveBeenCalledTimes(2);
  });

  it('a sealed value copied onto another target, or opened with another key, is still refused', () => {
    const sealed = seal(key, SECRET, 'tgt_c');
    expect(openMemoized(key, sealed, 'tgt_c')).toBe(SECRET);
    expect(() => openMemoized(key, sealed, 'tgt_other')).toThrow(SecretBoxError);
    const otherKey = secretKeyFromString(crypto.randomBytes(32).toString('base64'));
    expect(() => openMemoized(otherKey, sealed, 'tgt_c')).toThrow(SecretBoxError);
  });

  it('keeps at most MAX_OPENED_PER_KEY secrets per key, least recently used out first', () => {
    const own = secretKeyFromString(crypto.randomBytes(32).toString('base64'));
    const sealed = Array.from({ length: MAX_OPENED_PER_KEY + 1 }, (_, i) => seal(own, `s${i}`, 'tgt_d'));
    for (const s of sealed) openMemoized(own, s, 'tgt_d');
    decipher.mockClear();
    openMemoized(own, sealed[MAX_OPENED_PER_KEY] as string, 'tgt_d');
    expect(decipher).toHaveBeenCalledTimes(0);
    openMemoized(own, sealed[0] as string, 'tgt_d');
    expect(decipher).toHaveBeenCalledTimes(1);
  });

  it("a delivery's signing secrets: opened once across attempts, the new one right after a rotation", async () => {
    const material = crypto.randomBytes(32).toString('base64');
    const config = parseConfig({ WRO_TABLE_NAME: 'wro-t', WRO_TARGET_SECRETS_KEY: material });
    const k = secretKeyFromString(material);
    const target = { ...sampleTarget(), secret_sealed: seal(k, SECRET, sampleTarget().id) };
    expect(await openSigningSecrets({ config }, target, Date.now())).toEqual({ current: SECRET });
    expect(await openSigningSecrets({ config }, target, Date.now())).toEqual({ current: SECRET });
    expect(decipher).toHaveBeenCalledTimes(1);
    const rotated = {
      ...target,
      secret_sealed: seal(k, 'whsec_new', target.id),
      previous_secret_sealed: target.secret_sealed,
      previous_secret_expires_ms: Date.now() + 60_000,
    };
    expect(await openSigningSecrets({ config }, rotated, Date.now())).toEqual({
      current: 'whsec_new',
      previous: SECRET,
    });
    expect(decipher).toHaveBeenCalledTimes(2);
  });
});

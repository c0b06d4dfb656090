import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lib/config.ts';

describe('configuration', () => {
  it('fails fast naming the variable', () => {
    expect(() => parseConfig({})).toThrow(ConfigError);
    expect(() => parseConfig({})).toThrow(/WRO_TABLE_NAME/);
    expect(() => parseConfig({ WRO_TABLE_NAME: 'table', WRO_IDEMPOTENCY_LOCK_SECONDS: 'soon' })).toThrow(
      /WRO_IDEMPOTENCY_LOCK_SECONDS/,
    );
  });

  it('applies defaults and never enables private targets unless asked', () => {
    const c = parseConfig({ WRO_TABLE_NAME: 'table' });
    expect(c.allowPrivateTargets).toBe(false);
    expect(c.idempotencyTtlSeconds).toBe(86400);
    expect(parseConfig({ WRO_TABLE_NAME: 'table', WRO_ALLOW_PRIVATE_TARGETS: '1' }).allowPrivateTargets).toBe(
      true,
    );
  });
});

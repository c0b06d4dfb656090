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

  it('names every bad variable at once, with what it must be', () => {
    let message = '';
    try {
      parseConfig({
        WRO_TABLE_NAME: 'ab',
        WRO_DELIVERIES_QUEUE_URL: 'sqs/queue',
        WRO_ALLOW_PRIVATE_TARGETS: 'yes',
        WRO_TARGET_SECRETS_KEY: Buffer.alloc(31).toString('base64'),
        WRO_DELIVERY_MAX_ATTEMPTS: '1.5',
        WRO_SCANNER_SHARED_SECRET: 'short',
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'Invalid configuration:',
      '  WRO_TABLE_NAME: must name the DynamoDB table',
      '  WRO_DELIVERIES_QUEUE_URL: must be an absolute http(s) URL',
      '  WRO_SCANNER_SHARED_SECRET: must be at least 16 characters',
      '  WRO_TARGET_SECRETS_KEY: must be base64 of exactly 32 bytes',
      '  WRO_ALLOW_PRIVATE_TARGETS: must be one of 0, 1, true, false',
      '  WRO_DELIVERY_MAX_ATTEMPTS: must be a positive integer',
    ]);
  });

  it.each(['0', '-3', '1.5', '', ' ', 'soon', '1e400'])('refuses %j as a positive integer', (value) => {
    expect(() => parseConfig({ WRO_TABLE_NAME: 'table', WRO_DELIVERY_TIMEOUT_MS: value })).toThrow(
      /WRO_DELIVERY_TIMEOUT_MS: must be a positive integer/,
    );
  });

  it('reads integers, URLs, flags and keys that fit', () => {
    const c = parseConfig({
      WRO_TABLE_NAME: 'table',
      WRO_DELIVERY_TIMEOUT_MS: '2500',
      WRO_DELIVERIES_QUEUE_URL: 'http://127.0.0.1:9324/000000000000/deliveries',
      WRO_ALLOW_PRIVATE_TARGETS: 'false',
      WRO_TARGET_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      WRO_CORS_ORIGINS: 'https://a.example, https://b.example',
    });
    expect(c.delivery.timeoutMs).toBe(2500);
    expect(c.deliveriesQueueUrl).toBe('http://127.0.0.1:9324/000000000000/deliveries');
    expect(c.allowPrivateTargets).toBe(false);
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.stage).toBe('local');
  });
});

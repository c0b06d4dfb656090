import { describe, expect, it } from 'vitest';
import {
  DELIVERY_SCHEDULE,
  DEPLOYMENT_PROFILES,
  parseDeploymentSettings,
  worstCaseBackoffSeconds,
} from '../../infra/settings.ts';
import { assertDeliveryTimings } from '../../infra/stack.ts';
import { parseConfig } from '../../lib/config.ts';
import { DEPLOYMENT_MODES } from '../../lib/domain/plans.ts';
import { DELIVERY_FUNCTION_TIMEOUT_SECONDS, QUEUES } from '../../lib/queue/definitions.ts';

describe('deployment settings (cdk context)', () => {
  it('defaults to stage dev in cloud mode and accepts every deployment mode', () => {
    expect(parseDeploymentSettings({})).toEqual({ stage: 'dev', deploymentMode: 'cloud' });
    for (const mode of DEPLOYMENT_MODES) {
      expect(parseDeploymentSettings({ stage: 'prod', deploymentMode: mode })).toEqual({
        stage: 'prod',
        deploymentMode: mode,
      });
      expect(DEPLOYMENT_PROFILES[mode].deliveryMaxConcurrency).toBeGreaterThanOrEqual(2);
    }
  });

  it('rejects a stage name that cannot name a stack, and an unknown mode, naming the context key', () => {
    for (const stage of ['Prod', '', '1st', 'a'.repeat(21), 'with space', 42]) {
      expect(() => parseDeploymentSettings({ stage })).toThrow(/context "stage"/);
    }
    expect(() => parseDeploymentSettings({ deploymentMode: 'saas' })).toThrow(
      /context "deploymentMode" must be one of cloud, self-hosted, webhook-only/,
    );
  });
});

describe('delivery timings', () => {
  it('takes the schedule from the configuration defaults the functions run with', () => {
    expect(DELIVERY_SCHEDULE).toEqual(parseConfig({ WRO_TABLE_NAME: 'any-table' }).delivery);
  });

  it('sums the largest backoff of every retry (30 s doubling, capped) for the age alarm', () => {
    const schedule = {
      baseDelaySeconds: 30,
      maxDelaySeconds: 600,
      maxAttempts: 8,
      timeoutMs: 1,
      leaseSeconds: 1,
    };
    // retries after attempts 1…7: 30, 60, 120, 240, 480, 600 (capped), 600 (capped)
    expect(worstCaseBackoffSeconds(schedule)).toBe(30 + 60 + 120 + 240 + 480 + 600 + 600);
    expect(worstCaseBackoffSeconds({ ...schedule, maxAttempts: 1 })).toBe(0);
  });

  it('accepts the shipped timings and refuses any that do not nest', () => {
    const ok = {
      functionTimeoutSeconds: DELIVERY_FUNCTION_TIMEOUT_SECONDS,
      visibilityTimeoutSeconds: QUEUES.deliveries.visibilityTimeoutSeconds,
      sendTimeoutMs: DELIVERY_SCHEDULE.timeoutMs,
      leaseSeconds: DELIVERY_SCHEDULE.leaseSeconds,
    };
    expect(() => assertDeliveryTimings(ok)).not.toThrow();
    expect(() =>
      assertDeliveryTimings({ ...ok, visibilityTimeoutSeconds: 5 * ok.functionTimeoutSeconds }),
    ).toThrow(/visibility timeout .* < 6 × function timeout/);
    expect(() => assertDeliveryTimings({ ...ok, sendTimeoutMs: ok.functionTimeoutSeconds * 1000 })).toThrow(
      /send timeout/,
    );
    expect(() => assertDeliveryTimings({ ...ok, leaseSeconds: ok.functionTimeoutSeconds })).toThrow(
      /lease .* ≤/,
    );
    expect(() => assertDeliveryTimings({ ...ok, leaseSeconds: ok.visibilityTimeoutSeconds })).toThrow(
      /lease .* ≥/,
    );
  });
});

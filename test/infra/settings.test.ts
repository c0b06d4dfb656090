import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  DELIVERY_SCHEDULE,
  DEPLOYMENT_PROFILES,
  LAMBDA_MIN_UNRESERVED_CONCURRENCY,
  parseConcurrencySettings,
  parseDeploymentSettings,
  parseWithoutIndex,
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

describe('reserved concurrency (cdk context)', () => {
  it('defaults to the mode’s reservations, the delivery worker’s equal to its event source’s maximum', () => {
    for (const mode of DEPLOYMENT_MODES) {
      const p = DEPLOYMENT_PROFILES[mode];
      const c = parseConcurrencySettings({}, mode);
      expect(c).toEqual({
        deliveryWorker: p.deliveryMaxConcurrency,
        dispatcher: p.dispatcherReservedConcurrency,
        scannerRoute: p.scannerReservedConcurrency,
        accountConcurrency: DEFAULT_ACCOUNT_CONCURRENCY,
      });
      // Room for the rest of the account (and a few more stages) on a default 1,000 quota.
      expect(c.deliveryWorker! + c.dispatcher! + c.scannerRoute!).toBeLessThanOrEqual(200);
    }
  });

  it('takes numbers from cdk.json or strings from -c, and none', () => {
    expect(
      parseConcurrencySettings(
        {
          deliveryReservedConcurrency: 40,
          dispatcherReservedConcurrency: '12',
          scannerReservedConcurrency: 'none',
          accountConcurrency: '3000',
        },
        'cloud',
      ),
    ).toEqual({ deliveryWorker: 40, dispatcher: 12, scannerRoute: undefined, accountConcurrency: 3000 });
  });

  it('refuses a value that is not a whole number ≥ 1 or none, naming the context key', () => {
    for (const bad of [0, -1, 1.5, 'ten', '0', true]) {
      expect(() => parseConcurrencySettings({ dispatcherReservedConcurrency: bad }, 'cloud')).toThrow(
        /context "dispatcherReservedConcurrency" must be a whole number of at least 1 or "none"/,
      );
    }
    expect(() => parseConcurrencySettings({ accountConcurrency: 'lots' }, 'cloud')).toThrow(
      /context "accountConcurrency"/,
    );
  });

  it('refuses a delivery-worker reservation below its event source’s maximum concurrency', () => {
    expect(() => parseConcurrencySettings({ deliveryReservedConcurrency: 19 }, 'cloud')).toThrow(
      /context "deliveryReservedConcurrency" \(19\) must be at least the deliveries event source's maximum concurrency \(20/,
    );
    expect(parseConcurrencySettings({ deliveryReservedConcurrency: 'none' }, 'cloud').deliveryWorker).toBe(
      undefined,
    );
  });

  it('refuses reservations that leave the account fewer than 100 unreserved executions', () => {
    // Cloud defaults reserve 130: a 230 quota is just enough, a 229 one is not.
    expect(() => parseConcurrencySettings({ accountConcurrency: 230 }, 'cloud')).not.toThrow();
    expect(() => parseConcurrencySettings({ accountConcurrency: 229 }, 'cloud')).toThrow(
      new RegExp(
        `= 130 leaves fewer than the ${LAMBDA_MIN_UNRESERVED_CONCURRENCY} unreserved .*"accountConcurrency" 229`,
      ),
    );
    // A new account's low quota: no reservation at all deploys.
    const none = {
      deliveryReservedConcurrency: 'none',
      dispatcherReservedConcurrency: 'none',
      scannerReservedConcurrency: 'none',
    };
    expect(parseConcurrencySettings({ ...none, accountConcurrency: 10 }, 'cloud')).toMatchObject({
      deliveryWorker: undefined,
      dispatcher: undefined,
      scannerRoute: undefined,
    });
  });
});

describe('withoutIndex (cdk context)', () => {
  it('names one of the table’s indexes, or nothing', () => {
    expect(parseWithoutIndex(undefined)).toBeUndefined();
    expect(parseWithoutIndex('')).toBeUndefined();
    expect(parseWithoutIndex('gsi1')).toBe('gsi1');
    expect(() => parseWithoutIndex('gsi9')).toThrow(/context "withoutIndex" must be one of gsi1, gsi2/);
  });
});

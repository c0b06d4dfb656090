import * as real from '@aws-sdk/middleware-endpoint-discovery';
import { describe, expect, it } from 'vitest';
import * as stand from '../../../lib/aws/no-endpoint-discovery.ts';

/**
 * The bundles' stand-in for the endpoint-discovery package (infra/bundling.ts) resolves the same
 * configuration as the package, less the endpoint cache nothing reads.
 */
describe('no-endpoint-discovery', () => {
  const ctor = class DescribeEndpoints {};
  type Resolve = (input: never, opts: { endpointDiscoveryCommandCtor: never }) => unknown;
  const resolved = (m: typeof stand | typeof real, input: Record<string, unknown>) =>
    (m.resolveEndpointDiscoveryConfig as Resolve)({ ...input } as never, {
      endpointDiscoveryCommandCtor: ctor as never,
    });

  it('resolves the configuration the package does, without the cache', async () => {
    const provider = () => Promise.resolve(false);
    for (const input of [
      { endpointDiscoveryEnabledProvider: provider },
      { endpointDiscoveryEnabled: true },
    ]) {
      const mine = resolved(stand, input) as Record<string, unknown>;
      const theirs = resolved(real, input) as Record<string, unknown>;
      const { endpointCache, ...rest } = theirs;
      expect(endpointCache).toBeDefined();
      expect(Object.keys(mine).sort()).toEqual(Object.keys(rest).sort());
      expect(mine.isClientEndpointDiscoveryEnabled).toBe(rest.isClientEndpointDiscoveryEnabled);
      expect(mine.endpointDiscoveryCommandCtor).toBe(ctor);
      const enabled = (c: Record<string, unknown>) =>
        (c.endpointDiscoveryEnabled as () => Promise<unknown>)();
      expect(await enabled(mine)).toBe(await enabled(rest));
    }
  });

  it('reads the same environment variables', () => {
    for (const env of [
      {},
      { AWS_ENABLE_ENDPOINT_DISCOVERY: 'true' },
      { AWS_ENABLE_ENDPOINT_DISCOVERY: 'false' },
      { AWS_ENDPOINT_DISCOVERY_ENABLED: '0' },
    ]) {
      expect(stand.NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS.environmentVariableSelector(env)).toBe(
        real.NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS.environmentVariableSelector(env as never),
      );
    }
    expect(stand.NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS.default).toBe(
      real.NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS.default,
    );
  });
});

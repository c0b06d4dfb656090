/**
 * Stands in for `@aws-sdk/middleware-endpoint-discovery` in the function bundles (infra/bundling.ts
 * aliases it here). The DynamoDB client resolves an endpoint-discovery configuration when it is built,
 * and with it an LRU endpoint cache (`@aws-sdk/endpoint-cache` with mnemonist and obliterator, about
 * 8.5 KB of every DynamoDB bundle), though none of its commands applies the discovery middleware: the
 * cache is never read. This keeps the configuration the client resolves, without the cache. Should a
 * later SDK's commands use discovery, they import its plugin, which is not here, and the build fails.
 * Tests, the local stack and scripts run from source with the real package.
 */
export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = {
  environmentVariableSelector: (env: Record<string, string | undefined>) => {
    for (const name of ['AWS_ENABLE_ENDPOINT_DISCOVERY', 'AWS_ENDPOINT_DISCOVERY_ENABLED']) {
      if (name in env) return !['false', '0'].includes(env[name] ?? '');
    }
    return undefined;
  },
  configFileSelector: () => undefined,
  default: undefined,
};

export function resolveEndpointDiscoveryConfig<T extends { endpointDiscoveryEnabled?: boolean }>(
  input: T & { endpointDiscoveryEnabledProvider?: unknown },
  { endpointDiscoveryCommandCtor }: { endpointDiscoveryCommandCtor: unknown },
) {
  const enabled = input.endpointDiscoveryEnabled;
  return Object.assign(input, {
    endpointDiscoveryCommandCtor,
    endpointDiscoveryEnabled:
      enabled !== undefined ? () => Promise.resolve(enabled) : input.endpointDiscoveryEnabledProvider,
    isClientEndpointDiscoveryEnabled: enabled !== undefined,
  });
}

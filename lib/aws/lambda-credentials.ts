import { fromEnv } from '@aws-sdk/credential-provider-env';
import { doesIdentityRequireRefresh, isIdentityExpired, memoizeIdentityProvider } from '@smithy/core';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the function bundles (infra/bundling.ts aliases
 * it here), so every SDK client a function builds takes its credentials from the environment only.
 *
 * Lambda hands a function its execution role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY
 * and AWS_SESSION_TOKEN, the first link of the SDK's default chain; the other links (SSO, ini files,
 * web identity, process, instance metadata) never run there but bring nested STS/SSO clients into
 * every bundle (about a quarter of a DynamoDB-only bundle; docs/deploy.md, "Bundles"). Tests, the
 * local stack and scripts run from source and keep the SDK's full chain.
 *
 * Memoized as the default chain is: the SDK leaves that to the default provider, so a bare `fromEnv`
 * would read the environment again on every request. Credentials without an expiration are kept for
 * the life of the client; with AWS_CREDENTIAL_EXPIRATION they are read again five minutes before it.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]): ReturnType<typeof fromEnv> => {
  const memoized = memoizeIdentityProvider(fromEnv(init), isIdentityExpired, doesIdentityRequireRefresh);
  // Only an absent provider memoizes to undefined.
  if (!memoized) throw new Error('unreachable: fromEnv returned no provider');
  return memoized;
};

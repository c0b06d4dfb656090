import { Readable } from 'node:stream';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type HttpRequest, HttpResponse } from '@smithy/core/transport';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultProvider } from '../../../lib/aws/lambda-credentials.ts';

const KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'];
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
const setEnv = (env: Record<string, string | undefined>) => {
  for (const k of KEYS) {
    if (env[k] === undefined) delete process.env[k];
    else process.env[k] = env[k];
  }
};
afterEach(() => setEnv(saved));

/** A handler that records the access key each request was signed with and answers an empty item. */
function recordingHandler(keys: string[]) {
  return {
    handle: async (request: HttpRequest) => {
      const auth = String(request.headers.authorization ?? '');
      keys.push(/Credential=([^/]+)\//.exec(auth)?.[1] ?? '(unsigned)');
      return {
        response: new HttpResponse({
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Readable.from([Buffer.from('{}')]),
        }),
      };
    },
    destroy: () => {},
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
  };
}

/**
 * The bundles' credential provider (infra/bundling.ts aliases the SDK's default chain to it): the
 * environment's credentials, read once per client as the default chain reads them.
 */
describe('lambda-credentials', () => {
  it('signs every request of a client with the credentials read at its first request', async () => {
    setEnv({
      AWS_ACCESS_KEY_ID: 'ASIAFIRST',
      AWS_SECRET_ACCESS_KEY: 'first-secret',
      AWS_SESSION_TOKEN: 't1',
    });
    const keys: string[] = [];
    const client = new DynamoDBClient({
      region: 'us-east-1',
      credentialDefaultProvider: defaultProvider,
      requestHandler: recordingHandler(keys),
    });
    const get = () => client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
    await get();
    setEnv({ AWS_ACCESS_KEY_ID: 'ASIASECOND', AWS_SECRET_ACCESS_KEY: 'second-secret' });
    await get();
    await get();
    expect(keys).toEqual(['ASIAFIRST', 'ASIAFIRST', 'ASIAFIRST']);
  });

  it('reads the environment once for any number of calls, concurrent ones included', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: 'ASIAONCE', AWS_SECRET_ACCESS_KEY: 'once-secret' });
    let reads = 0;
    const provider = defaultProvider({ logger: { debug: () => reads++ } as never });
    const all = await Promise.all(Array.from({ length: 20 }, () => provider()));
    await provider();
    expect(reads).toBe(1);
    expect(new Set(all).size).toBe(1);
    expect(all[0]).toMatchObject({ accessKeyId: 'ASIAONCE', secretAccessKey: 'once-secret' });
  });

  it('reads them again when AWS_CREDENTIAL_EXPIRATION is under five minutes away', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    setEnv({ AWS_ACCESS_KEY_ID: 'ASIAOLD', AWS_SECRET_ACCESS_KEY: 'old', AWS_CREDENTIAL_EXPIRATION: soon });
    const provider = defaultProvider();
    expect((await provider()).accessKeyId).toBe('ASIAOLD');
    const later = new Date(Date.now() + 3_600_000).toISOString();
    setEnv({ AWS_ACCESS_KEY_ID: 'ASIANEW', AWS_SECRET_ACCESS_KEY: 'new', AWS_CREDENTIAL_EXPIRATION: later });
    await provider();
    expect((await provider()).accessKeyId).toBe('ASIANEW');
  });

  it('fails as the SDK does when the environment has no credentials', async () => {
    setEnv({});
    await expect(defaultProvider()()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });
});

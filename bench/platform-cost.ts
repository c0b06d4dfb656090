import { handler as createProject } from '../functions/projects-create.ts';
import { handler as getProject } from '../functions/projects-get.ts';
import { createAccount, createToken } from '../lib/domain/accounts.ts';
import { runtime } from '../lib/runtime.ts';
import { countDynamoDbRequests, emptyCounts } from './lib/ddb-counter.ts';
import { invoke } from './lib/invoke.ts';

/**
 * Exact DynamoDB requests that authentication, rate limiting and idempotency add to one request,
 * counted by the SDK middleware and attributed by the item type each request touches.
 */
export async function benchPlatformCost() {
  const rt = runtime();
  const account = await createAccount(rt.db, { name: 'Bench', plan: 'enterprise' });
  const { api_token } = await createToken(rt.db, { accountId: account.id });
  const auth = { Authorization: `Bearer ${api_token}`, 'Content-Type': 'application/json' };

  const measure = async (fn: () => Promise<unknown>) => {
    const counts = emptyCounts();
    const remove = countDynamoDbRequests(rt.db.doc, counts);
    await fn();
    remove();
    return counts;
  };
  const body = JSON.stringify({ name: 'Bench', base_url: 'https://example.test' });
  const post = (key: string) =>
    invoke(createProject, {
      method: 'POST',
      path: '/api/projects',
      headers: { ...auth, 'Idempotency-Key': key },
      body,
    });
  const created = JSON.parse(String((await post('warm')).body)) as { id: string };
  const firstPost = await measure(() => post('first'));
  const replay = await measure(() => post('first'));
  const get = await measure(() =>
    invoke(getProject, {
      method: 'GET',
      path: `/api/projects/${created.id}`,
      routePath: '/api/projects/{projectId}',
      headers: auth,
      params: { projectId: created.id },
    }),
  );
  const of = (c: typeof get, type: string) => c.byItemType[type] ?? 0;
  return {
    command: 'npm run bench',
    post_project: {
      total_requests: firstPost.requests,
      by_item_type: firstPost.byItemType,
      by_command: firstPost.byCommand,
    },
    replayed_post: { total_requests: replay.requests, by_item_type: replay.byItemType },
    get_project: { total_requests: get.requests, by_item_type: get.byItemType },
    added_per_request: {
      authentication: of(get, 'TOKEN') + of(get, 'ACCOUNT'),
      rate_limit: of(get, 'RATELIMIT'),
      idempotency_first_execution: of(firstPost, 'IDEMPOTENCY'),
      idempotency_replay: of(replay, 'IDEMPOTENCY'),
    },
  };
}

/**
 * Admin command (README, "Admin command"): `npm run admin -- <command> [options]`.
 *   create-account --name NAME --plan free|team|enterprise [--credits N] [--json]
 *   create-token   --account-id ID [--scopes a,b] [--json]
 *   revoke-token   --token TOKEN [--json]
 * Targets the running local stack (found through $WRO_DATA_DIR/stack.json, default .local) or, when
 * there is none and WRO_TABLE_NAME is set, the AWS table named there (credentials from the usual AWS chain).
 */

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readStackFile, stackFilePath } from '../infra/local/stack-file.ts';
import { ALL_SCOPES, type Scope } from '../lib/auth/scopes.ts';
import { createAccount, createToken, revokeApiToken } from '../lib/domain/accounts.ts';
import { PLAN_NAMES } from '../lib/domain/plans.ts';
import * as z from '../lib/schemas/zod.ts';

const USAGE = `usage: npm run admin -- create-account --name NAME --plan ${PLAN_NAMES.join('|')} [--credits N] [--json]
       npm run admin -- create-token --account-id ID [--scopes ${ALL_SCOPES.slice(0, 2).join(',')},…] [--json]
       npm run admin -- revoke-token --token TOKEN [--json]`;

class UsageError extends Error {}

function useLocalStackIfRunning(): string {
  const dataDir = resolve(process.env.WRO_DATA_DIR ?? '.local');
  const stackFile = stackFilePath(dataDir);
  const found = readStackFile(dataDir);
  if (found?.kind === 'stale') {
    console.error(
      `admin: ${stackFile} was left by a local stack that no longer runs${found.pid ? ` (pid ${found.pid})` : ''}; ignoring it (start one with npm start).`,
    );
  }
  if (found?.kind === 'live') {
    const { stack } = found;
    Object.assign(process.env, {
      WRO_TABLE_NAME: stack.table_name,
      AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodb_endpoint,
      AWS_REGION: stack.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    return `local stack (${stackFile})`;
  }
  if (process.env.WRO_TABLE_NAME) return `DynamoDB table ${process.env.WRO_TABLE_NAME}`;
  throw new UsageError(
    `No running local stack (${stackFile} not found) and WRO_TABLE_NAME is not set. Start one with npm start.`,
  );
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      plan: { type: 'string' },
      credits: { type: 'string' },
      'account-id': { type: 'string' },
      scopes: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const where = useLocalStackIfRunning();
  // Imported after the environment is set: the runtime reads its configuration once.
  const { runtime } = await import('../lib/runtime.ts');
  const db = runtime().db;
  const print = (obj: Record<string, unknown>, human: string) =>
    console.log(values.json ? JSON.stringify(obj) : `${human}\n(${where})`);

  switch (command) {
    case 'create-account': {
      const input = z
        .object({
          name: z.string().check(z.minLength(1, '--name is required')),
          plan: z.enum(PLAN_NAMES, { message: `--plan must be one of ${PLAN_NAMES.join(', ')}` }),
          credits: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
        })
        .safeParse({ name: values.name, plan: values.plan, credits: values.credits });
      if (!input.success) throw new UsageError(input.error.issues.map((i) => i.message).join('; '));
      const account = await createAccount(db, input.data);
      const token = await createToken(db, { accountId: account.id });
      print(
        { account_id: account.id, api_token: token.api_token },
        `Account ${account.id} (${account.plan}, ${account.scan_credits} scan credits).\nAPI token (shown once): ${token.api_token}`,
      );
      return;
    }
    case 'create-token': {
      if (!values['account-id']) throw new UsageError('--account-id is required');
      let scopes: Scope[] | undefined;
      if (values.scopes !== undefined) {
        scopes = values.scopes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean) as Scope[];
        const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
        if (unknown.length)
          throw new UsageError(`unknown scopes: ${unknown.join(', ')} (known: ${ALL_SCOPES.join(', ')})`);
      }
      const { getAccount } = await import('../lib/db/accounts-store.ts');
      if (!(await getAccount(db, values['account-id'])))
        throw new UsageError(`no account ${values['account-id']}`);
      const token = await createToken(db, { accountId: values['account-id'], scopes });
      print(
        {
          account_id: values['account-id'],
          token_id: token.token_id,
          api_token: token.api_token,
          scopes: token.scopes,
        },
        `Token ${token.token_id} with scopes ${token.scopes.join(',')}.\nAPI token (shown once): ${token.api_token}`,
      );
      return;
    }
    case 'revoke-token': {
      if (!values.token) throw new UsageError('--token is required');
      const res = await revokeApiToken(db, values.token);
      print({ revoked: true, ...res }, `Token ${res.token_id} revoked at ${res.revoked_at}.`);
      return;
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
  }
}

main().catch((err) => {
  if (err instanceof UsageError) console.error(`admin: ${err.message}\n${USAGE}`);
  else console.error(`admin: ${(err as Error).name === 'NOT_FOUND' ? 'not found' : (err as Error).message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});

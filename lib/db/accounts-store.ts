import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Scope } from '../auth/scopes.ts';
import type { PlanName } from '../domain/plans.ts';
import type { Db } from './client.ts';
import { conditionFailure, stripKeys, withRetries } from './dynamo.ts';
import { keys } from './keys.ts';

export interface AccountItem {
  id: string;
  name: string;
  plan: PlanName;
  scan_credits: number;
  created_at: string;
}

export interface TokenItem {
  token_id: string;
  account_id: string;
  scopes: Scope[];
  created_at: string;
  revoked_at?: string;
}

export async function putAccount(db: Db, account: AccountItem): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: { ...keys.account(account.id), ...account },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getAccount(db: Db, accountId: string): Promise<AccountItem | undefined> {
  const res = await withRetries(() =>
    db.doc.send(new GetCommand({ TableName: db.table, Key: keys.account(accountId) })),
  );
  return stripKeys<AccountItem>(res.Item);
}

export async function putToken(db: Db, tokenHash: string, token: TokenItem): Promise<void> {
  await db.doc.send(
    new PutCommand({
      TableName: db.table,
      Item: {
        ...keys.token(tokenHash),
        ...token,
        gsi1pk: keys.accountIndex(token.account_id, 'TOKENS'),
        gsi1sk: `${token.created_at}#${token.token_id}`,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getToken(db: Db, tokenHash: string): Promise<TokenItem | undefined> {
  const res = await withRetries(() =>
    db.doc.send(new GetCommand({ TableName: db.table, Key: keys.token(tokenHash) })),
  );
  return stripKeys<TokenItem>(res.Item);
}

/** Revokes once (revoking twice keeps the first time); an unknown token: undefined. */
export async function revokeToken(db: Db, tokenHash: string, at: string): Promise<TokenItem | undefined> {
  try {
    const res = await db.doc.send(
      new UpdateCommand({
        TableName: db.table,
        Key: keys.token(tokenHash),
        UpdateExpression: 'SET revoked_at = if_not_exists(revoked_at, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<TokenItem>(res.Attributes);
  } catch (err) {
    if (conditionFailure(err)) return undefined;
    throw err;
  }
}

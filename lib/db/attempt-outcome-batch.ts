import { createHash } from 'node:crypto';
import type { Db } from './client.ts';
import { commitWrites, MAX_TRANSACTION_ITEMS } from './commit.ts';
import {
  type AttemptCompletion,
  type AttemptOutcomeWriter,
  attemptOutcomeWrites,
  completeAttempt,
  type DeliveryRef,
} from './deliveries-store.ts';
import type { TransactItem } from './dynamo.ts';

/** One message of an SQS batch, as the batch's shared outcome transaction sees it. */
export interface OutcomeBatchMember {
  /** Where this member writes its one attempt outcome: it resolves once the batch has committed. */
  writer: AttemptOutcomeWriter;
  /** The member is done (call it when its processing ends, whether or not it wrote an outcome). */
  leave(): void;
}

interface Waiting {
  ref: DeliveryRef;
  input: AttemptCompletion;
  items: TransactItem[];
  keys: string[];
  resolve(written: boolean): void;
  reject(err: unknown): void;
}

/**
 * The attempt outcomes of one SQS batch in one TransactWriteItems instead of one per message
 * (docs/ticket-exports.md, "What one attempt costs"). Each member's outcome waits until every member
 * has either written its outcome or left, so the transaction goes once the batch's last send has
 * answered: the lease of every member still holds then, since all were taken in the batch's first
 * round trip and each covers a send's timeout.
 *
 * All or nothing per transaction, so a member's failed condition must not cost the others theirs:
 *  - members whose entries touch the same item (two failures to one target both update it) go in
 *    separate transactions, as do entries beyond DynamoDB's 100 per transaction;
 *  - when a transaction is refused, the members whose entries failed are answered (a failed lease,
 *    entry 0 of a member, is a lost lease: false) and the others commit again without them;
 *  - a lone member commits exactly as `completeAttempt` does, with its lease id as the token.
 * An error that is not a condition (retries exhausted) rejects every member of its transaction.
 */
export function attemptOutcomeBatch(db: Db, size: number): OutcomeBatchMember[] {
  let open = size;
  const waiting: Waiting[] = [];
  const flushIfComplete = () => {
    if (open > 0 || waiting.length === 0) return;
    for (const group of disjointGroups(waiting.splice(0))) {
      // commitGroup answers every member itself; this only guards against a bug leaving one waiting.
      commitGroup(db, group).catch((err) => {
        for (const w of group) w.reject(err);
      });
    }
  };
  return Array.from({ length: size }, () => {
    let done = false;
    const close = () => {
      if (done) return false;
      done = true;
      open--;
      return true;
    };
    return {
      writer: {
        complete(ref, input) {
          if (!close()) return Promise.reject(new Error('a batch member writes at most one outcome'));
          const items = attemptOutcomeWrites(db, ref, input);
          return new Promise<boolean>((resolve, reject) => {
            waiting.push({ ref, input, items, keys: items.map(itemKey), resolve, reject });
            flushIfComplete();
          });
        },
      },
      leave() {
        if (close()) flushIfComplete();
      },
    };
  });
}

/** Greedy partition into transactions that touch each item once and hold at most 100 entries. */
function disjointGroups(waiting: Waiting[]): Waiting[][] {
  const groups: { members: Waiting[]; keys: Set<string>; entries: number }[] = [];
  for (const w of waiting) {
    let group = groups.find(
      (g) => g.entries + w.items.length <= MAX_TRANSACTION_ITEMS && !w.keys.some((k) => g.keys.has(k)),
    );
    if (!group) {
      group = { members: [], keys: new Set(), entries: 0 };
      groups.push(group);
    }
    group.members.push(w);
    for (const k of w.keys) group.keys.add(k);
    group.entries += w.items.length;
  }
  return groups.map((g) => g.members);
}

async function commitGroup(db: Db, group: Waiting[]): Promise<void> {
  if (group.length === 0) return;
  if (group.length === 1) {
    const [w] = group as [Waiting];
    return completeAttempt(db, w.ref, w.input).then(w.resolve, w.reject);
  }
  let outcome: Awaited<ReturnType<typeof commitWrites>>;
  try {
    outcome = await commitWrites(
      db,
      group.flatMap((w) => w.items),
      { token: groupToken(group) },
    );
  } catch (err) {
    for (const w of group) w.reject(err);
    return;
  }
  if (outcome.kind === 'committed') {
    for (const w of group) w.resolve(true);
    return;
  }
  // Nothing was written: answer the members whose entries failed, and commit the others again.
  const answered = new Set<Waiting>();
  for (const failure of outcome.failures) {
    let offset = 0;
    const w = group.find((m) => {
      if (failure.index < offset + m.items.length) return true;
      offset += m.items.length;
      return false;
    });
    if (!w || answered.has(w)) continue;
    answered.add(w);
    if (failure.index === offset) w.resolve(false);
    else w.reject(new Error(`attempt write refused by entry ${failure.index - offset} (${w.ref.key.pk})`));
  }
  return commitGroup(
    db,
    group.filter((w) => !answered.has(w)),
  );
}

function itemKey(item: TransactItem): string {
  const op = (item.Update ?? item.Put ?? item.Delete ?? item.ConditionCheck) as {
    TableName?: string;
    Key?: Record<string, unknown>;
    Item?: Record<string, unknown>;
  };
  const key = op.Key ?? op.Item ?? {};
  return `${op.TableName}\u0000${String(key.pk)}\u0000${String(key.sk)}`;
}

/**
 * The transaction's ClientRequestToken (at most 36 characters): the same members give the same token,
 * so an SDK retry of a transaction that did commit is recognised, and a regrouped rest gets a new one.
 */
function groupToken(group: Waiting[]): string {
  return createHash('sha256')
    .update(group.map((w) => w.input.leaseId).join('\n'))
    .digest('base64url')
    .slice(0, 36);
}

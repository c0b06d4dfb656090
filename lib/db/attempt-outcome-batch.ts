import { createHash } from 'node:crypto';
import { isAwsError } from '../errors.ts';
import type { Db } from './client.ts';
import { commitWrites, MAX_TRANSACTION_ITEMS } from './commit.ts';
import {
  type AttemptCompletion,
  type AttemptOutcomeWriter,
  attemptOutcomeWrites,
  completeAttempt,
  type DeliveryRef,
  refusedAttempt,
} from './deliveries-store.ts';
import { type TableKey, type TransactItem, tableKeyId } from './dynamo.ts';

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
 * answered. Every lease still holds then: a lease outlasts the delivery function's timeout (the
 * stack checks it, infra/stack.ts `assertDeliveryTimings`).
 *
 * All or nothing per transaction, so one member must not cost the others their outcomes:
 *  - members whose entries touch the same item (two failures to one target both update it) go in
 *    separate transactions, committed one after another (concurrent transactions on one item would
 *    conflict), as do entries beyond DynamoDB's 100 per transaction;
 *  - when a transaction is refused, the members whose entries failed are answered (a failed lease,
 *    entry 0 of a member, is a lost lease: false) and the others commit again without them;
 *  - a request refused as invalid (one member's entries) sends each member's outcome alone, so the
 *    refusal reaches only its member; any other error (retries exhausted) reaches every member of the
 *    transaction;
 *  - a lone member commits exactly as `completeAttempt` does, with its lease id as the token.
 */
export function attemptOutcomeBatch(db: Db, size: number): OutcomeBatchMember[] {
  let open = size;
  const waiting: Waiting[] = [];
  const flushIfComplete = () => {
    if (open > 0 || waiting.length === 0) return;
    const groups = disjointGroups(waiting.splice(0));
    (async () => {
      for (const group of groups) await commitGroup(db, group);
    })().catch((err) => {
      // commitGroup answers every member itself; this only guards against a bug leaving one waiting.
      for (const w of groups.flat()) w.reject(err);
    });
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
          if (!close()) {
            return Promise.reject(new Error('a batch member writes one outcome, and none once it has left'));
          }
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
    // DynamoDB refused the request as invalid (nothing was written): one member's entries are, so each
    // commits alone (their items are disjoint). Any other error may follow a transaction that did
    // commit, which only its own token recognises: it reaches every member, as a message's own would.
    if (isAwsError(err, 'ValidationException')) await Promise.all(group.map((w) => commitGroup(db, [w])));
    else for (const w of group) w.reject(err);
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
    try {
      w.resolve(refusedAttempt(w.ref, failure.index - offset));
    } catch (err) {
      w.reject(err);
    }
  }
  return commitGroup(
    db,
    group.filter((w) => !answered.has(w)),
  );
}

function itemKey(item: TransactItem): string {
  const op = (item.Update ?? item.Put ?? item.Delete ?? item.ConditionCheck) as {
    Key?: TableKey;
    Item?: TableKey;
  };
  return tableKeyId((op.Key ?? op.Item) as TableKey);
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

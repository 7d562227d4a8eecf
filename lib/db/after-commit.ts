import type { Db } from './client.js';

const HOOKS = Symbol('cairn.afterCommit');

interface PendingHooks {
  root: Db;
  callbacks: Map<string, (root: Db) => void>;
}

/**
 * Asks for `callback` to run once the transaction `tx` has committed (once per `key`, however often it is asked), with
 * the database handle the transaction came from. In a savepoint, the hook passes to the enclosing transaction when the
 * savepoint is released, and is dropped when it is rolled back. Returns false when `tx` is not a transaction of a
 * handle made by `withAfterCommitHooks` (a bare handle): the caller then does without.
 */
export function runAfterCommit(tx: Db, key: string, callback: (root: Db) => void): boolean {
  const pending = (tx as unknown as { [HOOKS]?: PendingHooks })[HOOKS];
  if (!pending) return false;
  pending.callbacks.set(key, callback);
  return true;
}

/**
 * Gives `db.transaction` after-commit hooks (`runAfterCommit`). A rolled-back transaction runs none. A hook that
 * throws is the hook's bug, not the committed transaction's: it must not turn a commit into an error.
 */
export function withAfterCommitHooks(db: Db): Db {
  const transaction = db.transaction.bind(db);
  const wrapped: typeof db.transaction = async (work, config) => {
    const pending: PendingHooks = { root: db, callbacks: new Map() };
    const result = await transaction((tx) => work(withHooks(tx, pending)), config);
    for (const callback of pending.callbacks.values()) {
      try {
        callback(db);
      } catch {
        // See above: nothing to undo, and the caller's commit stands.
      }
    }
    return result;
  };
  return Object.assign(db, { transaction: wrapped });
}

/** A transaction, as far as its savepoints go (drizzle's PgTransaction; its generics do not matter here). */
type Transactional = { transaction(work: (inside: any) => Promise<unknown>, config?: any): Promise<unknown> };

/** Marks `tx` as holding `pending`'s hooks; its savepoints collect their own and hand them over once released. */
function withHooks<T extends Transactional>(tx: T, pending: PendingHooks): T {
  const savepoint = tx.transaction.bind(tx);
  const nested: Transactional['transaction'] = async (work, config) => {
    const inner: PendingHooks = { root: pending.root, callbacks: new Map() };
    const result = await savepoint((inside) => work(withHooks(inside, inner)), config);
    for (const [key, callback] of inner.callbacks) pending.callbacks.set(key, callback);
    return result;
  };
  return Object.assign(tx, { [HOOKS]: pending, transaction: nested });
}

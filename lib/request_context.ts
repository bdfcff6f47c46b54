/**
 * The id of the request being served, wherever its work runs (`AsyncLocalStorage`): the
 * outbox rows a request writes carry it (migration 060), so a notification can be traced
 * back to the request that caused it in the logs.
 *
 * ```ts
 * await withRequestId("req-1", () => next());
 * currentRequestId(); // "req-1" inside, undefined outside
 * ```
 */
import { AsyncLocalStorage } from "node:async_hooks";

const storage = new AsyncLocalStorage<string>();

export function withRequestId<T>(id: string, fn: () => T): T {
  return storage.run(id, fn);
}

export function currentRequestId(): string | undefined {
  return storage.getStore();
}

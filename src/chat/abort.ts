import { LinkedList } from "./linked-list.js";

const listeners = new WeakMap<AbortSignal, LinkedList<() => void>>();

/**
 * Calls `listener` once `signal` aborts (soon after, if it has); returns a function that forgets it.
 * Thousands of calls may wait on one signal, and an AbortSignal searches its own listeners one by
 * one on every add, so each signal gets a single listener of its own that calls the rest.
 */
export function onAbort(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    let forgotten = false;
    queueMicrotask(() => forgotten || listener());
    return () => (forgotten = true);
  }
  let waiting = listeners.get(signal);
  if (!waiting) {
    const all = new LinkedList<() => void>();
    listeners.set(signal, (waiting = all));
    signal.addEventListener("abort", () => all.values().forEach((l) => l()), { once: true });
  }
  const mine = waiting;
  const link = mine.push(listener);
  return () => void mine.remove(link);
}

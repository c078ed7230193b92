const listeners = new WeakMap<AbortSignal, Set<() => void>>();

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
    const all = new Set<() => void>();
    listeners.set(signal, (waiting = all));
    signal.addEventListener("abort", () => [...all].forEach((l) => l()), { once: true });
  }
  const mine = waiting;
  mine.add(listener);
  return () => mine.delete(listener);
}

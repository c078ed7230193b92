import type { Attempt, Routed, Send } from "./attempt.js";

/**
 * Sends each attempt to the current base URL. When its host could not be reached at all, the next
 * base URL (the region's backup domain) is worth trying at once, and stays current for every call.
 */
export function failover(bases: readonly string[], next: Send<Routed>): Send<Attempt> {
  let current = 0;
  return async (attempt) => {
    const tried = await next({ ...attempt, base: bases[current]! });
    const from = current;
    if (tried.ok || !tried.connectFailure || from >= bases.length - 1) return tried;
    return { ...tried, mend: () => void (current = Math.max(current, from + 1)) };
  };
}

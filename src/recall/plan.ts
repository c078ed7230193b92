import { topicGroup } from "./ids.js";
import { InputError, quote } from "./input-error.js";
import type { Pair, Scope } from "./types.js";

/**
 * The groups, or with topics every topic (each in its listed group), each once. With topics, every
 * listed group needs at least one of its topics, so no group is recalled whole by mistake.
 */
export function planScopes(
  groups: readonly string[],
  topics: readonly string[],
  topicLabel: string,
): Scope[] {
  if (topics.length === 0) return groups.map((group) => ({ group }));
  const positions = new Map<string, number>();
  groups.forEach((group, i) => {
    if (!positions.has(group)) positions.set(group, i);
  });
  const scopes = topics.map((topic) => ({ group: topicGroup(topic, positions, topicLabel), topic }));
  const covered = new Set(scopes.map((s) => s.group));
  const bare = groups.filter((g) => !covered.has(g));
  if (bare.length > 0) {
    throw new InputError(
      "topic",
      `${topicLabel}: no topic is listed for group ${bare
        .slice(0, 10)
        .map((g) => quote(g))
        .join(
          ", ",
        )}; with topics set, every listed group needs at least one of its topics, or recall it in a separate step without topics.`,
    );
  }
  return scopes;
}

export function* pairsOf(scopes: Iterable<Scope>, senders: readonly string[]): Generator<Pair> {
  for (const scope of scopes) for (const sender of senders) yield { ...scope, sender };
}

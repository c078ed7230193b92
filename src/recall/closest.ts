/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]!.push(best);
    }
  }
  return rows[a.length]![b.length]!;
}

/** What a mistyped `id` most likely meant, of `candidates`: the nearest few, none further than a typo goes. */
export function closest(id: string, candidates: Iterable<string>, count: number): string[] {
  const limit = Math.max(2, Math.floor(id.length / 3));
  const near: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    if (candidate === id || Math.abs(candidate.length - id.length) > limit) continue;
    const distance = editDistance(id.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit) near.push({ candidate, distance });
  }
  near.sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
  return near.slice(0, count).map((n) => n.candidate);
}

/** The value below which `share` (0..1) of the sorted values lie (nearest rank). */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Calls a command's server accepted per second, from the first it accepted to the last. */
export function acceptedPerSecond(
  stats: { accepted: number; firstAcceptedAt: number | null; lastAcceptedAt: number | null } | undefined,
): number {
  if (!stats || stats.firstAcceptedAt === null || stats.lastAcceptedAt === null) return 0;
  return stats.accepted / Math.max(0.001, (stats.lastAcceptedAt - stats.firstAcceptedAt) / 1000);
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export function verdict(ok: boolean): string {
  return ok ? "MET" : "MISSED";
}

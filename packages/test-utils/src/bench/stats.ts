export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}

/**
 * One line comparing a figure with its target, saying by how much a missed target is missed.
 */
export function verdict(
  label: string,
  value: number,
  unit: string,
  target: { atMost?: number; atLeast?: number },
): string {
  const figure = `${label}: ${format(value)} ${unit}`;
  if (target.atMost !== undefined) {
    return value <= target.atMost
      ? `${figure}  (target ≤ ${target.atMost} ${unit}: met)`
      : `${figure}  (target ≤ ${target.atMost} ${unit}: MISSED by ${format(
          value - target.atMost,
        )} ${unit}, ${format((value / target.atMost - 1) * 100)}% over)`;
  }
  const atLeast = target.atLeast!;
  return value >= atLeast
    ? `${figure}  (target ≥ ${atLeast} ${unit}: met)`
    : `${figure}  (target ≥ ${atLeast} ${unit}: MISSED by ${format(
        atLeast - value,
      )} ${unit}, ${format((1 - value / atLeast) * 100)}% short)`;
}

export function format(value: number): string {
  return Math.abs(value) >= 100
    ? value.toFixed(0)
    : value.toFixed(value >= 10 ? 1 : 2);
}

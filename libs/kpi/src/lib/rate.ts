/** A fraction rounded to 4 decimals; null for a zero denominator (docs/contracts.md §4). */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
}

/** The mean of some fractions rounded to 4 decimals; null for none. */
export function meanRate(fractions: readonly number[]): number | null {
  return rate(
    fractions.reduce((a, b) => a + b, 0),
    fractions.length,
  );
}

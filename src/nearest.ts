// "Did you mean …?": the known name nearest to a misspelt one, for CLI flags and option names.

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

/**
 * The candidate nearest to `word` within `maxDistance` edits, or a candidate that `word` begins (a flag
 * typed short, `--exclude` for `--exclude-think`) when it is the only one; otherwise null. Ties go to the
 * earlier candidate, so callers list the likelier names first.
 */
export function nearestName(word: string, candidates: Iterable<string>, maxDistance = 2): string | null {
  let best: string | null = null;
  let bestDistance = maxDistance + 1;
  const extensions: string[] = [];
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
    if (word.length >= 3 && c.startsWith(word)) extensions.push(c);
  }
  if (best !== null) return best;
  return extensions.length === 1 ? extensions[0] : null;
}

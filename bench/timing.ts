// Interleaved timing for the benchmarks: each round runs every row once, starting one row later than the
// round before, so that drift in the machine's speed spreads over all rows; three warm-up rounds are
// dropped. Returns the median of each row, in ms.
export function interleavedMedians(rows: readonly (readonly [string, () => unknown])[], rounds: number): number[] {
  const samples = rows.map(() => [] as number[]);
  for (let r = 0; r < rounds + 3; r++) {
    for (let i = 0; i < rows.length; i++) {
      const k = (i + r) % rows.length;
      const t0 = performance.now();
      rows[k][1]();
      if (r >= 3) samples[k].push(performance.now() - t0);
    }
  }
  return samples.map((xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
}

// Exact decimal arithmetic on doubles, for every place that turns a float into decimal digits or rounds it
// to decimal places (format specs, printf `%`, round, filesizeformat): the double's exact binary value as a
// BigInt fraction, rounded half to even as CPython does. Never toFixed, which rounds the decimal shortcut.

const VIEW = new DataView(new ArrayBuffer(8));

/** |x| = m × 2^e exactly, for finite x. */
function decompose(x: number): [bigint, number] {
  VIEW.setFloat64(0, x);
  const hi = VIEW.getUint32(0);
  const lo = VIEW.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  const m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  return bexp === 0 ? [m, -1074] : [m | (1n << 52n), bexp - 1075];
}

/** |x| × 10^k exactly, as floor quotient, remainder and denominator. */
export function scaled(x: number, k: number): [bigint, bigint, bigint] {
  const [m, e] = decompose(x);
  let num = m;
  let den = 1n;
  if (k >= 0) num *= 10n ** BigInt(k);
  else den = 10n ** BigInt(-k);
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  const q = num / den;
  return [q, num - q * den, den];
}

/** round(|x| × 10^k) to an integer, ties to even, computed exactly. */
export function scaledRound(x: number, k: number): bigint {
  const [q, r, den] = scaled(x, k);
  const twice = 2n * r;
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** Digits of |x| with `prec` digits after the point (Python's `%.{prec}f` without the sign), e.g. "3.14". */
export function fixedDigits(x: number, prec: number): string {
  const s = scaledRound(x, prec).toString().padStart(prec + 1, "0");
  return prec > 0 ? `${s.slice(0, s.length - prec)}.${s.slice(s.length - prec)}` : s;
}

/** Negative, -0.0 included (Python prints its sign). */
export function isNeg(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

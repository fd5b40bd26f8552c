/**
 * x87 80-bit extended precision, C's `long double` on x86-64 Linux, emulated with BigInt for
 * INCRBYFLOAT. Redis reads both operands with strtold, adds them as long doubles and prints the sum
 * with "%.17Lf" (ld2string LD_STR_HUMAN). Doubles would print other digits (0.1 + 0.2 gives
 * 0.30000000000000004 in doubles and 0.3 in Redis), and the text is the stored value, so only an
 * exact emulation keeps a Larder dataset byte-identical to Redis's.
 *
 * A finite value is (-1)^neg * m * 2^e with m < 2^64 (64 significant bits, the integer bit explicit),
 * e >= -16445 (the subnormal quantum) and m * 2^e < 2^16384. Every operation rounds the exact
 * result to nearest, ties to even, as the FPU and glibc's strtold and printf do.
 */

export interface LongDouble {
  readonly neg: boolean;
  /** 0n for zero. */
  readonly m: bigint;
  readonly e: number;
  readonly inf: boolean;
}

const MIN_EXP = -16445;
const MAX_EXP = 16384;
const PRECISION = 64;
const ZERO: LongDouble = { neg: false, m: 0n, e: 0, inf: false };
const P17 = 10n ** 17n;
/** string2ld refuses inputs of MAX_LONG_DOUBLE_CHARS (5k) or more. */
const MAX_CHARS = 5 * 1024;
/** Decimal magnitudes outside this range overflow or underflow to zero whatever the digits. */
const MAX_DEC_MAG = 4933;
const MIN_DEC_MAG = -4950;

const DEC_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;
const INF_RE = /^([+-]?)inf(?:inity)?$/i;

const POW10: bigint[] = [];

/** 10^k, cached for the small exponents everyday numbers use. */
function pow10(k: number): bigint {
  if (k >= 64) return 10n ** BigInt(k);
  return (POW10[k] ??= 10n ** BigInt(k));
}

function bitLength(n: bigint): number {
  if (n < 0x100000000n) return 32 - Math.clz32(Number(n));
  if (n < 0x10000000000000000n) return 64 - Math.clz32(Number(n >> 32n));
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + 32 - Math.clz32(parseInt(hex[0]!, 16));
}

/**
 * Rounds (m + a fraction, present when `sticky`) * 2^e to a long double. `sticky` must only be set
 * when m has more than 64 bits, so the rounding position is inside m.
 */
function round(neg: boolean, m: bigint, e: number, sticky: boolean): LongDouble {
  let exp = Math.max(e + bitLength(m) - PRECISION, MIN_EXP);
  const shift = exp - e;
  let q: bigint;
  if (shift <= 0) {
    q = m << BigInt(-shift);
  } else {
    const sh = BigInt(shift);
    q = m >> sh;
    const rem = m & ((1n << sh) - 1n);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) q += 1n;
    if (q === 1n << 64n) {
      q = 1n << 63n;
      exp += 1;
    }
  }
  if (q === 0n) return { neg, m: 0n, e: 0, inf: false };
  if (exp + bitLength(q) > MAX_EXP) return { neg, m: 0n, e: 0, inf: true };
  return { neg, m: q, e: exp, inf: false };
}

function clampExp(digits: string | undefined): number {
  if (digits === undefined) return 0;
  const n = Number(digits);
  return Math.max(-1e6, Math.min(1e6, n));
}

function fromDecimal(neg: boolean, intPart: string, fracPart: string, expDigits: string | undefined): LongDouble | undefined {
  const digits = (intPart + fracPart).replace(/^0+/, '');
  if (digits === '') return { neg, m: 0n, e: 0, inf: false };
  const exp10 = clampExp(expDigits) - fracPart.length;
  const magnitude = digits.length + exp10;
  if (magnitude > MAX_DEC_MAG + 1 || magnitude < MIN_DEC_MAG) return undefined;
  const d = BigInt(digits);
  if (exp10 >= 0) return finite(round(neg, d * pow10(exp10), 0, false));
  const den = pow10(-exp10);
  // Scale so the quotient has at least 66 bits: the rounding bit and one below it are exact.
  const k = Math.max(0, PRECISION + 2 + bitLength(den) - bitLength(d));
  const num = d << BigInt(k);
  return finite(round(neg, num / den, -k, num % den !== 0n));
}

/** A nonzero input that rounded to zero or infinity made strtold report ERANGE: refused. */
function finite(r: LongDouble): LongDouble | undefined {
  return r.inf || r.m === 0n ? undefined : r;
}

function fromHex(neg: boolean, intPart: string, fracPart: string, expDigits: string | undefined): LongDouble | undefined {
  const digits = (intPart + fracPart).replace(/^0+/, '');
  if (digits === '') return { neg, m: 0n, e: 0, inf: false };
  const e = clampExp(expDigits) - 4 * fracPart.length;
  const bits = digits.length * 4;
  if (e + bits > MAX_EXP + 8 || e + bits < MIN_EXP - 8) return undefined;
  return finite(round(neg, BigInt('0x' + digits), e, false));
}

/**
 * string2ld: strtold over the whole string, refusing leading space, trailing bytes, NaN, and
 * results that overflowed or underflowed to zero (ERANGE). A subnormal result is accepted, as in
 * Redis. Returns undefined when Redis answers "value is not a valid float".
 */
export function parseLongDouble(s: string): LongDouble | undefined {
  if (s.length === 0 || s.length >= MAX_CHARS) return undefined;
  let m = DEC_RE.exec(s);
  if (m) {
    // strtold needs a digit before or after the point; "." or "-e5" stop it at once.
    if (m[2] === '' && (m[3] === undefined || m[3] === '')) return undefined;
    return fromDecimal(m[1] === '-', m[2]!, m[3] ?? '', m[4]);
  }
  if ((m = HEX_RE.exec(s))) {
    if (m[2] === '' && (m[3] === undefined || m[3] === '')) return undefined;
    return fromHex(m[1] === '-', m[2]!, m[3] ?? '', m[4]);
  }
  if ((m = INF_RE.exec(s))) return { neg: m[1] === '-', m: 0n, e: 0, inf: true };
  return undefined;
}

/** a + b, or undefined when the sum is NaN or infinite. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | undefined {
  if (a.inf || b.inf) return undefined;
  if (b.m === 0n) return a.m === 0n ? { ...ZERO, neg: a.neg && b.neg } : a;
  if (a.m === 0n) return b;
  const e = Math.min(a.e, b.e);
  const ma = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const mb = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const sum = ma + mb;
  if (sum === 0n) return ZERO;
  const r = round(sum < 0n, sum < 0n ? -sum : sum, e, false);
  return r.inf ? undefined : r;
}

/**
 * "%.17Lf" of a finite value, then ld2string's LD_STR_HUMAN trimming: trailing zeros and a bare
 * '.' removed, and "-0" printed as "0".
 */
export function formatLongDouble(v: LongDouble): string {
  let q: bigint;
  if (v.m === 0n) {
    q = 0n;
  } else if (v.e >= 0) {
    q = (v.m << BigInt(v.e)) * P17;
  } else {
    const k = BigInt(-v.e);
    const scaled = v.m * P17;
    q = scaled >> k;
    const rem = scaled & ((1n << k) - 1n);
    const half = 1n << (k - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const frac = (q % P17).toString().padStart(17, '0').replace(/0+$/, '');
  const int = (q / P17).toString();
  const out = (v.neg ? '-' : '') + int + (frac === '' ? '' : '.' + frac);
  return out === '-0' ? '0' : out;
}

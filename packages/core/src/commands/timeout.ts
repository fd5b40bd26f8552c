/**
 * Blocking timeouts as Redis 7.0's getTimeoutFromObjectOrReply reads them (UNIT_SECONDS): the
 * argument is a long double in seconds (string2ld: strtold, whole string, no leading space, no
 * NaN, overflow refused), converted with `(long long)(seconds * 1000)`. The cast truncates toward
 * zero, so `0.0001` means 0 (block forever) and `-0.0005` is not negative; a product outside int64
 * becomes LLONG_MIN on x86, so huge or infinite timeouts are "negative".
 *
 * Shared by every blocking command (BLPOP and friends, BZPOPMIN and friends).
 */
import { TIMEOUT_NEGATIVE, TIMEOUT_NOT_FLOAT } from '../reply/errors.ts';
import { tryParseDouble } from './args.ts';

/** string2ld's buffer: longer arguments are refused outright. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;
const HEX_RE = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?$/i;
const DECIMAL_EXP_RE = /^[+-]?0*([0-9]*)\.?([0-9]*?)(?:e([+-]?[0-9]+))?$/i;
/** LDBL_MAX, 1.18973149535723176502e+4932: strtold reports ERANGE above it. */
const LDBL_MAX_EXP10 = 4932;
const LDBL_MAX_MANTISSA = 1.189731495357231765;
const INT64_LIMIT = 2 ** 63;

/** The timeout in ms (0 = forever); throws Redis's error for a bad or negative one. */
export function parseTimeout(arg: string): number {
  const seconds = parseLongDouble(arg);
  if (seconds === undefined) throw TIMEOUT_NOT_FLOAT;
  const ms = Math.trunc(seconds * 1000);
  if (!(ms > -INT64_LIMIT && ms < INT64_LIMIT) || ms < 0) throw TIMEOUT_NEGATIVE;
  return ms === 0 ? 0 : ms;
}

function parseLongDouble(s: string): number | undefined {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return undefined;
  const d = tryParseDouble(s);
  if (d !== undefined) return Number.isFinite(d) || /inf/i.test(s) ? d : overflowAware(s);
  return parseHexFloat(s);
}

/** A decimal that overflows a double may still fit a long double (then it is just huge). */
function overflowAware(s: string): number | undefined {
  const m = DECIMAL_EXP_RE.exec(s);
  if (!m) return undefined;
  const intDigits = m[1]!;
  const digits = (intDigits + m[2]!).replace(/^0+/, '');
  const leadingFracZeros = intDigits.length > 0 ? 0 : m[2]!.length - m[2]!.replace(/^0+/, '').length;
  const exp10 = Number(m[3] ?? '0') + (intDigits.length > 0 ? intDigits.length - 1 : -leadingFracZeros - 1);
  const mantissa = Number(`${digits[0] ?? '0'}.${digits.slice(1, 20)}`);
  if (exp10 > LDBL_MAX_EXP10 || (exp10 === LDBL_MAX_EXP10 && mantissa > LDBL_MAX_MANTISSA)) return undefined;
  return s.startsWith('-') ? -Infinity : Infinity;
}

/** strtold's hexadecimal form: `0x1.8p3`. */
function parseHexFloat(s: string): number | undefined {
  const m = HEX_RE.exec(s);
  if (!m) return undefined;
  const int = m[2]!;
  const frac = m[3] ?? '';
  if (int.length === 0 && frac.length === 0) return undefined;
  let v = int.length > 0 ? parseInt(int, 16) : 0;
  if (frac.length > 0) v += parseInt(frac, 16) / 16 ** frac.length;
  if (m[4] !== undefined) v *= 2 ** Number(m[4]);
  return m[1] === '-' ? -v : v;
}

/**
 * The small shared universe the generators draw from: six keys every family uses (so a key made
 * a list by one command meets a string command: WRONGTYPE), small member spaces, binary bytes,
 * and the numeric edge cases Redis's parsers care about (int64 bounds, overflow, floats, junk).
 */
import fc from 'fast-check';
import { cmd, pick, rel, some, type Argv } from './dsl.ts';

export const KEYS = ['k1', 'k2', 'k3', 'k4', '{t}k5', '\xffk\x00\r\n'] as const;
export const key = fc.constantFrom<string>(...KEYS);
export const keys = (min = 1, max = 3) => fc.array(key, { minLength: min, maxLength: max });

/** Arbitrary bytes 0..255 as a byte string. */
export const bytes = (max = 8) =>
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: max }).map((a) => String.fromCharCode(...a));

export const LONG_44 = 'e'.repeat(44);
export const LONG_45 = 'r'.repeat(45);
export const LONG_65 = 'L'.repeat(65);

export const text = fc.constantFrom('', 'a', 'b', 'foo', 'bar', 'hello world', 'A\r\nB', 'é', '\x00', '\xff\xfe');
export const numericText = fc.constantFrom(
  '0', '1', '-1', '7', '42', '-100', '10.5', '-0.25', '3.0', '1e3', '0x10', ' 1', '01', '+1', '-0',
  '9223372036854775806', '9223372036854775807', '-9223372036854775808', '9223372036854775808',
  '12345678901234567890', 'inf', '-inf', 'nan', '1.7976931348623157e308', '5e-324',
);
export const longText = fc.constantFrom(LONG_44, LONG_45, LONG_65, 'w'.repeat(130));

/** A string value: text, numbers (INCR-able or not), binary, and the embstr/raw/listpack boundaries. */
export const value = pick<string>([4, text], [4, numericText], [3, bytes()], [1, longText]);

/** Integer arguments (counts, indexes, increments): mostly small, sometimes edge or junk. */
export const smallInt = fc.integer({ min: -6, max: 6 }).map(String);
export const badInt = fc.constantFrom(
  '9223372036854775807', '-9223372036854775808', '9223372036854775808', '-9223372036854775809',
  'abc', '1.5', '', ' 2', '0x1', '1e2', '+3', '07',
);
export const intArg = pick<string>([8, smallInt], [2, badInt]);
export const count = pick<string>([8, fc.integer({ min: 0, max: 8 }).map(String)], [1, fc.constantFrom('-1', '-5')], [1, badInt]);

/** Float arguments: scores, increments. */
export const floatArg = fc.constantFrom(
  '0', '1', '2', '-1', '1.5', '-2.5', '0.1', '10', '1e2', '-0', '+inf', '-inf', 'inf', 'Infinity',
  '1e308', '-1e308', '5e-324', 'nan', 'abc', '', '1.5.5', '0x1p3', ' 1',
);
export const goodFloat = fc.constantFrom('0', '1', '2', '-1', '1.5', '-2.5', '0.1', '10', '1e2', '3', '-0', '+inf', '-inf');

/** Relative TTLs, far from any clock race (see dsl.ts). */
export const ttlSeconds = fc.constantFrom(1000, 50_000, 2_000_000).map((s) => rel(s, 's'));
export const ttlMillis = fc.constantFrom(1000, 50_000, 2_000_000).map((s) => rel(s, 'ms'));
/** Absolute unix times: fixed years ahead, or long past (deletes the key). */
export const atSeconds = fc.constantFrom('4102444800', '7258118400', '1', '0', '1000000000');
export const atMillis = fc.constantFrom('4102444800000', '7258118400000', '1', '0', '1000000000000');
/** TTL arguments Redis refuses or that delete at once (0 and negatives are "in the past"). */
export const badTtl = fc.constantFrom('0', '-1', '-1000', 'abc', '1.5', '', '9223372036854775807', '-9223372036854775808', '9223372036854775808');

/** List elements, set members, hash fields: tiny spaces so commands collide. */
export const element = fc.constantFrom('a', 'b', 'c', 'd', '1', '2', '-3', '', '\x00', 'a\xff');
export const intMember = fc.constantFrom('0', '1', '2', '3', '-5', '100', '-9223372036854775808', '9223372036854775807');
export const member = pick<string>([3, intMember], [3, fc.constantFrom('a', 'b', 'c', '\x00b')], [1, fc.constantFrom('010', '1.0', '+1', LONG_65)]);
export const field = pick<string>([6, fc.constantFrom('f1', 'f2', 'f3', 'a', '\x00')], [1, fc.constantFrom(LONG_65, '1')]);

/** Creates or replaces a key with each type, to make the others meet WRONGTYPE. */
export function creators(has: (name: string) => boolean): Array<fc.Arbitrary<Argv>> {
  const all: Array<[string, fc.Arbitrary<Argv>]> = [
    ['set', cmd('SET', key, value)],
    ['rpush', cmd('RPUSH', key, some(element, 1, 3))],
    ['sadd', cmd('SADD', key, some(member, 1, 3))],
    ['hset', cmd('HSET', key, some(cmd(field, value), 1, 2))],
    ['zadd', cmd('ZADD', key, some(cmd(goodFloat, element), 1, 2))],
  ];
  return all.filter(([n]) => has(n)).map(([, a]) => a);
}

/** A command with nonsense arity: the name alone, or far too many arguments. */
export function badArity(names: readonly string[]): fc.Arbitrary<Argv> {
  return pick<Argv>(
    [3, fc.constantFrom(...names).map((n) => [n])],
    // Extra arguments are never numbers: a blocking command would read the last one as its timeout.
    [1, cmd(fc.constantFrom(...names), some(fc.constantFrom('a', 'b', 'x', '\x00'), 6, 9))],
  );
}

/** `main` mixed with the other types' creators (weight 1 each), when Larder has them. */
export function withCreators(has: (name: string) => boolean, main: fc.Arbitrary<Argv>, weight = 10): fc.Arbitrary<Argv> {
  const extra = creators(has);
  return extra.length === 0 ? main : pick<Argv>([weight, main], ...extra.map((c): [number, fc.Arbitrary<Argv>] => [1, c]));
}

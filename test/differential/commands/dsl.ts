/**
 * A tiny vocabulary for writing command generators as one line per command form:
 * `cmd('LPUSH', key, some(element, 1, 3))` is an arbitrary argv. Parts are constants, arrays of
 * constants, or arbitraries of either; arrays are spliced in.
 *
 * Relative TTLs are not numbers but `Rel` markers, turned into text when the step runs: `rel`
 * seconds plus the step's index. Two relative TTLs set by different steps therefore always differ
 * by at least a second, so GT/LT/NX comparisons between them never depend on the few
 * milliseconds that separate the oracle's clock from Larder's.
 */
import fc from 'fast-check';

export interface Rel {
  readonly rel: number;
  readonly unit: 's' | 'ms';
}
export type Arg = string | Rel;
export type Argv = Arg[];

/** One command of a multi-client scenario: which client sends it. */
export interface Step {
  readonly client: number;
  readonly argv: Argv;
}

export type Part = Arg | readonly Arg[] | fc.Arbitrary<Arg> | fc.Arbitrary<readonly Arg[]>;

export function arb(p: Part): fc.Arbitrary<readonly Arg[]> {
  if (p instanceof fc.Arbitrary) return (p as fc.Arbitrary<Arg | readonly Arg[]>).map((x) => (Array.isArray(x) ? x : [x as Arg]));
  return fc.constant(Array.isArray(p) ? (p as readonly Arg[]) : [p as Arg]);
}

/** An argv made of `parts` in order. */
export function cmd(...parts: Part[]): fc.Arbitrary<Argv> {
  return fc.tuple(...parts.map(arb)).map((xs) => xs.flat());
}

/** `part` or nothing. */
export function opt(part: Part, freq = 2): fc.Arbitrary<readonly Arg[]> {
  return fc.option(arb(part), { nil: [], freq });
}

/** `min`..`max` repetitions of `part`, spliced. */
export function some(part: Part, min: number, max: number): fc.Arbitrary<readonly Arg[]> {
  return fc.array(arb(part), { minLength: min, maxLength: max }).map((xs) => xs.flat());
}

/** Any subset of the option groups, in any order (Redis parses most options order-free). */
export function options(groups: Part[], maxCount = groups.length): fc.Arbitrary<readonly Arg[]> {
  const arbs = groups.map(arb);
  return fc
    .shuffledSubarray(arbs, { minLength: 0, maxLength: Math.min(maxCount, arbs.length) })
    .chain((sel) => (sel.length === 0 ? fc.constant([] as Arg[]) : fc.tuple(...sel).map((xs) => xs.flat())));
}

/** An option word, sometimes in another letter case (Redis compares them case-insensitively). */
export function word(w: string): fc.Arbitrary<string> {
  const lower = w.toLowerCase();
  const mixed = [...lower].map((ch, i) => (i % 2 === 0 ? ch.toUpperCase() : ch)).join('');
  return fc.oneof({ arbitrary: fc.constant(w), weight: 6 }, fc.constant(lower), fc.constant(mixed));
}

/** One of several words, case-varied. */
export function words(...ws: string[]): fc.Arbitrary<string> {
  return fc.oneof(...ws.map(word));
}

export const rel = (seconds: number, unit: 's' | 'ms'): Rel => ({ rel: seconds, unit });

export function isRel(a: Arg): a is Rel {
  return typeof a !== 'string';
}

/** The concrete text of an argument in step `index`. */
export function materialize(argv: readonly Arg[], index: number): string[] {
  return argv.map((a) => (typeof a === 'string' ? a : String(a.unit === 's' ? a.rel + index : (a.rel + index) * 1000)));
}

/** Weighted choice, `[weight, arbitrary]` pairs. */
export function pick<T>(...choices: Array<[number, fc.Arbitrary<T>]>): fc.Arbitrary<T> {
  return fc.oneof(...choices.map(([weight, arbitrary]) => ({ weight, arbitrary })));
}

/**
 * HRANDFIELD (t_hash.c hrandfieldCommand). A negative count samples with repetition; a positive
 * one returns distinct fields, the whole hash in its own order when the count covers it. With
 * WITHVALUES, RESP2 gets a flat field/value array and RESP3 an array of [field, value] pairs.
 */
import type { Client } from '../../engine/client.ts';
import { isOpt, parseBigInt } from '../../commands/args.ts';
import { COUNT_OUT_OF_LONG_RANGE, SYNTAX, VALUE_OUT_OF_RANGE } from '../../reply/errors.ts';
import type { Reply } from '../../reply/reply.ts';
import { randomIndex, sampleDistinct } from '../set/sample.ts';

const LONG_MIN = -(2n ** 63n);
/** WITHVALUES doubles the reply length, so Redis caps the count at LONG_MAX / 2. */
const HALF_LONG_MAX = (2n ** 63n - 1n) / 2n;

// HRANDFIELD key [count [WITHVALUES]]
export function hrandfield(c: Client, argv: string[]): Reply {
  if (argv.length < 3) {
    const h = c.db.read(argv[1]!, 'hash');
    return h === undefined ? null : h.fieldAt(randomIndex(c.engine.random, h.size));
  }
  const l = parseBigInt(argv[2]!);
  if (l === LONG_MIN) throw COUNT_OUT_OF_LONG_RANGE;
  if (argv.length > 4 || (argv.length === 4 && !isOpt(argv[3]!, 'withvalues'))) throw SYNTAX;
  const withValues = argv.length === 4;
  if (withValues && (l < -HALF_LONG_MAX || l > HALF_LONG_MAX)) throw VALUE_OUT_OF_RANGE;
  const h = c.db.read(argv[1]!, 'hash');
  if (h === undefined || l === 0n) return [];
  const count = Number(l < 0n ? -l : l);
  const size = h.size;
  const random = c.engine.random;
  const resp3 = c.resp === 3;
  if (l < 0n || count === 1) {
    // Sized up front: a count past the longest JS array throws a RangeError instead of looping.
    const flat = withValues && !resp3;
    const out = new Array<Reply>(flat ? count * 2 : count);
    for (let i = 0; i < count; i++) {
      const j = randomIndex(random, size);
      if (!withValues) out[i] = h.fieldAt(j);
      else if (resp3) out[i] = [h.fieldAt(j), h.valueAt(j)];
      else {
        out[2 * i] = h.fieldAt(j);
        out[2 * i + 1] = h.valueAt(j);
      }
    }
    return out;
  }
  const out: Reply[] = [];
  if (count >= size) {
    h.forEach((f, v) => pushPair(out, f, v, withValues, resp3));
  } else {
    for (const j of sampleDistinct(random, size, count)) pushPair(out, h.fieldAt(j), h.valueAt(j), withValues, resp3);
  }
  return out;
}

function pushPair(out: Reply[], field: string, value: string, withValues: boolean, resp3: boolean): void {
  if (!withValues) out.push(field);
  else if (resp3) out.push([field, value]);
  else out.push(field, value);
}

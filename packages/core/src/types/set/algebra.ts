/**
 * SINTER, SINTERCARD, SUNION, SDIFF and their STORE forms (t_set.c sinterGenericCommand and
 * sunionDiffGenericCommand). Results are built the way Redis builds them, in a set that starts as
 * an intset, so a STORE destination gets the encoding Redis would give it and non-STORE replies of
 * small integer results come out sorted, as Redis's do.
 */
import { storeResult } from '../../commands/store.ts';
import type { Client } from '../../engine/client.ts';
import { SetReply, type Reply } from '../../reply/reply.ts';
import { SetValue } from './set.ts';

function readSets(c: Client, keys: readonly string[]): Array<SetValue | undefined> {
  // Every key is type-checked, even after a missing one, as Redis's lookup loop does.
  return keys.map((k) => c.db.read(k, 'set'));
}

export interface InterOptions {
  /** SINTERSTORE's destination. */
  dst?: string;
  /** SINTERCARD: count only, stopping at `limit` (0 = no limit). */
  cardOnly?: boolean;
  limit?: number;
}

export function sinterGeneric(c: Client, keys: readonly string[], opts: InterOptions = {}): Reply {
  const sets = readSets(c, keys);
  const { dst, cardOnly = false, limit = 0 } = opts;
  if (sets.includes(undefined)) {
    if (dst !== undefined) return storeResult(c, dst, new SetValue(), 'sinterstore', 's');
    return cardOnly ? 0 : new SetReply([]);
  }
  // Walk the smallest set and probe the others.
  const order = (sets as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const first = order[0]!;
  const maxIntset = c.engine.config.num('set-max-intset-entries');
  const result = dst !== undefined ? new SetValue() : undefined;
  const out: Reply[] = [];
  let card = 0;
  outer: for (const m of first) {
    for (let j = 1; j < order.length; j++) {
      const s = order[j]!;
      if (s !== first && !s.has(m)) continue outer;
    }
    if (cardOnly) {
      if (++card === limit) break;
    } else if (result !== undefined) {
      result.add(m, maxIntset);
    } else {
      out.push(m);
    }
  }
  if (cardOnly) return card;
  if (result !== undefined) return storeResult(c, dst!, result, 'sinterstore', 's');
  return new SetReply(out);
}

export function sunionDiffGeneric(c: Client, keys: readonly string[], dst: string | undefined, op: 'union' | 'diff'): Reply {
  const sets = readSets(c, keys);
  const maxIntset = c.engine.config.num('set-max-intset-entries');
  const result = new SetValue();
  const first = sets[0];
  if (op === 'union') {
    for (const s of sets) if (s !== undefined) for (const m of s) result.add(m, maxIntset);
  } else if (first !== undefined && !sets.some((s, j) => j > 0 && s === first)) {
    // Redis picks between two algorithms by estimated work; the choice shows in the result's
    // encoding (the second adds every member of the first set before removing any), so mirror it.
    let one = 0;
    let two = 0;
    for (const s of sets) {
      if (s === undefined) continue;
      one += first.size;
      two += s.size;
    }
    if (Math.floor(one / 2) <= two) {
      outer: for (const m of first) {
        for (let j = 1; j < sets.length; j++) if (sets[j]?.has(m)) continue outer;
        result.add(m, maxIntset);
      }
    } else {
      for (const m of first) result.add(m, maxIntset);
      for (let j = 1; j < sets.length && result.size > 0; j++) {
        const s = sets[j];
        if (s !== undefined) for (const m of s) result.delete(m);
      }
    }
  }
  if (dst !== undefined) return storeResult(c, dst, result, op === 'union' ? 'sunionstore' : 'sdiffstore', 's');
  return new SetReply([...result]);
}

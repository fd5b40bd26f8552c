/**
 * SCAN, HSCAN, SSCAN and ZSCAN from cursor 0: each side's cursor is driven to completion and the
 * unions compared (cursor values and page boundaries are implementation details). One exception
 * is exact: when the oracle's key is listpack- or intset-encoded, Redis returns everything in one
 * page with cursor 0, in encoding order, and Larder must too. Other cursors (junk, negative,
 * past 2^64) are ordinary one-shot commands compared exactly.
 */
import { items, normEqual, quote, type Norm } from '../support/norm.ts';
import type { Session } from './session.ts';
import type { StepResult } from './runner.ts';

export const SCAN_COMMANDS = new Set(['scan', 'hscan', 'sscan', 'zscan']);
const MAX_PAGES = 10_000;

interface Page {
  cursor: string;
  elements: Norm[];
}

function page(n: Norm): Page | undefined {
  const xs = items(n);
  if (n.t !== 'array' || xs?.length !== 2) return undefined;
  const [c, e] = xs as [Norm, Norm];
  const els = items(e);
  if (c.t !== 'bulk' || !els || e.t !== 'array') return undefined;
  return { cursor: c.v, elements: els };
}

const text = (n: Norm): string => (n.t === 'bulk' || n.t === 'double' || n.t === 'int' ? n.v : JSON.stringify(n));

/** Drives one side; returns all pages' replies, or the first non-page reply. */
async function drive(call: (cursor: string) => Promise<Norm>): Promise<{ first: Norm; pages: Page[]; stuck?: boolean }> {
  const first = await call('0');
  const p0 = page(first);
  if (!p0) return { first, pages: [] };
  const pages = [p0];
  let cursor = p0.cursor;
  while (cursor !== '0') {
    if (pages.length >= MAX_PAGES) return { first, pages, stuck: true };
    const next = page(await call(cursor));
    if (!next) return { first, pages, stuck: true };
    pages.push(next);
    cursor = next.cursor;
  }
  return { first, pages };
}

/** Element (or field/member) → value (or score), checking that repeats agree. */
function union(name: string, pages: Page[]): { map: Map<string, string>; conflict?: string } {
  const map = new Map<string, string>();
  const paired = name === 'hscan' || name === 'zscan';
  for (const p of pages) {
    for (let j = 0; j < p.elements.length; j += paired ? 2 : 1) {
      const k = text(p.elements[j]!);
      const v = paired ? text(p.elements[j + 1] ?? { t: 'nil' }) : '';
      if (map.has(k) && map.get(k) !== v) return { map, conflict: `${quote(k)} returned with two values` };
      map.set(k, v);
    }
  }
  return { map };
}

function summary(map: Map<string, string>, paired: boolean): Norm {
  const keys = [...map.keys()].sort();
  return { t: 'set', v: keys.flatMap((k): Norm[] => (paired ? [{ t: 'bulk', v: k }, { t: 'bulk', v: map.get(k)! }] : [{ t: 'bulk', v: k }])) };
}

export async function runScan(s: Session, i: number, argv: string[]): Promise<StepResult> {
  const name = argv[0]!.toLowerCase();
  const at = name === 'scan' ? 1 : 2;
  const withCursor = (c: string) => argv.map((a, j) => (j === at ? c : a));
  const conn = s.redis(i);
  const redis = await drive((c) => conn.call(withCursor(c)));
  const larder = await drive(async (c) => (await s.subject.exec(i, withCursor(c), false))[0]!);
  if (!page(redis.first) || !page(larder.first)) {
    return { redis: [redis.first], larder: [larder.first], verdict: normEqual(redis.first, larder.first) ? undefined : 'replies differ' };
  }
  const paired = name === 'hscan' || name === 'zscan';
  const ru = union(name, redis.pages);
  const lu = union(name, larder.pages);
  const result: StepResult = {
    redis: [summary(ru.map, paired)],
    larder: [summary(lu.map, paired)],
    verdict: undefined,
    note: `scan driven to completion: ${redis.pages.length} oracle page(s), ${larder.pages.length} Larder page(s); unions shown`,
  };
  if (larder.stuck) result.verdict = `Larder's cursor never returned to 0 (or a page was malformed) after ${larder.pages.length} pages`;
  else if (lu.conflict) result.verdict = `Larder: ${lu.conflict}`;
  else if (!normEqual(result.redis[0]!, result.larder[0]!)) result.verdict = 'scan unions differ';
  else if (name !== 'scan' && redis.pages.length === 1) {
    const enc = await conn.call(['OBJECT', 'ENCODING', argv[1]!]);
    if (enc.t === 'bulk' && (enc.v === 'listpack' || enc.v === 'intset') && !normEqual(redis.first, larder.first)) {
      result.redis = [redis.first];
      result.larder = [larder.first];
      result.verdict = `the oracle's ${enc.v} key came back in one page, in order; Larder's first page differs`;
    }
  }
  return result;
}

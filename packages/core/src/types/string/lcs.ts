/**
 * LCS (t_string.c lcsCommand): the longest common subsequence of two strings by the textbook
 * O(N*M) table, and with IDX the matched ranges found while walking the table back. The walk, and
 * so which ranges IDX reports, follows Redis's exactly: it reports a range only when the walk
 * leaves it, which can skip a one-byte match that does not extend the current range.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { parseInteger } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import { MapReply, type Reply } from '../../reply/reply.ts';
import { LCS_IDX_AND_LEN, LCS_NOT_STRINGS, LCS_TOO_BIG, SYNTAX } from '../../reply/errors.ts';
import { cstr } from './string.ts';

function stringOrEmpty(c: Client, key: string): string | undefined {
  const v = c.db.lookup(key)?.value;
  return v === undefined ? '' : typeof v === 'string' ? v : undefined;
}

function lcs(c: Client, argv: string[]): Reply {
  const a = stringOrEmpty(c, argv[1]!);
  const b = stringOrEmpty(c, argv[2]!);
  if (a === undefined || b === undefined) throw LCS_NOT_STRINGS;
  let getIdx = false;
  let getLen = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = cstr(argv[j]!);
    if (opt === 'idx') getIdx = true;
    else if (opt === 'len') getLen = true;
    else if (opt === 'withmatchlen') withMatchLen = true;
    else if (opt === 'minmatchlen' && j + 1 < argv.length) minMatchLen = Math.max(0, parseInteger(argv[++j]!));
    else throw SYNTAX;
  }
  if (getIdx && getLen) throw LCS_IDX_AND_LEN;

  const alen = a.length;
  const blen = b.length;
  const w = blen + 1;
  // Redis refuses a table (uint32 cells) larger than proto-max-bulk-len.
  if ((alen + 1) * w * 4 > c.engine.config.num('proto-max-bulk-len')) throw LCS_TOO_BIG;
  const t = new Uint32Array((alen + 1) * w);
  for (let i = 1; i <= alen; i++) {
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= blen; j++) {
      const k = i * w + j;
      if (ai === b.charCodeAt(j - 1)) t[k] = t[k - w - 1]! + 1;
      else t[k] = Math.max(t[k - w]!, t[k - 1]!);
    }
  }
  const total = t[alen * w + blen]!;
  if (getLen) return total;

  const out: string[] = new Array(total);
  const matches: Reply[] = [];
  let idx = total;
  let aStart = alen; // alen: no range open
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      out[idx - 1] = a[i - 1]!;
      if (aStart === alen) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      idx--;
      i--;
      j--;
    } else {
      if (t[(i - 1) * w + j]! > t[i * w + j - 1]!) i--;
      else j--;
      if (aStart !== alen) emit = true;
    }
    if (emit) {
      const len = aEnd - aStart + 1;
      if (getIdx && (minMatchLen === 0 || len >= minMatchLen)) {
        const m: Reply[] = [[aStart, aEnd], [bStart, bEnd]];
        if (withMatchLen) m.push(len);
        matches.push(m);
      }
      aStart = alen;
    }
  }
  if (getIdx) return new MapReply(['matches', matches, 'len', total]);
  return out.join('');
}

export const lcsCommands: CommandSpec[] = [
  // LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
  command({
    name: 'lcs', arity: -3, flags: ['readonly'], keys: [1, 2, 1], group: 'string', since: '7.0.0',
    summary: 'Find longest common substring', syntax: 'key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]',
    complexity: 'O(N*M) where N and M are the lengths of s1 and s2, respectively',
    handler: lcs,
  }),
];

/**
 * Redis's glob matcher (util.c stringmatchlen), used by KEYS, SCAN MATCH, PSUBSCRIBE and
 * CONFIG GET: `*`, `?`, `[abc]`, `[^abc]`, `[a-z]` and `\` escapes, over byte strings.
 * Like Redis it recurses on `*` with a cap on nesting so hostile patterns cannot blow the stack.
 * Note: as in Redis, `*` does not match the empty string here; KEYS and SCAN special-case `*`.
 */

export function globMatch(pattern: string, s: string, nocase = false): boolean {
  return match(pattern, 0, s, 0, nocase, 0) === 1;
}

/** 1 match, 0 no match, -1 "skip the longer tries" (Redis's skipLongerMatches). */
function match(p: string, pi: number, s: string, si: number, nocase: boolean, nesting: number): number {
  if (nesting > 1000) return 0;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const pc = p[pi]!;
    switch (pc) {
      case '*': {
        while (pi + 1 < plen && p[pi + 1] === '*') pi++;
        if (pi + 1 === plen) return 1;
        for (; si < slen; si++) {
          const r = match(p, pi + 1, s, si, nocase, nesting + 1);
          if (r !== 0) return r;
        }
        return -1;
      }
      case '?':
        si++;
        break;
      case '[': {
        pi++;
        const not = p[pi] === '^';
        if (not) pi++;
        let matched = false;
        for (;;) {
          if (pi >= plen) {
            pi--; // malformed: treat the end as closing the class, as Redis does
            break;
          }
          const c = p[pi]!;
          if (c === '\\' && pi + 1 < plen) {
            pi++;
            if (p[pi] === s[si]) matched = true;
          } else if (c === ']') {
            break;
          } else if (pi + 2 < plen && p[pi + 1] === '-') {
            let start = fold(p.charCodeAt(pi), nocase);
            let end = fold(p.charCodeAt(pi + 2), nocase);
            const ch = fold(s.charCodeAt(si), nocase);
            if (start > end) [start, end] = [end, start];
            pi += 2;
            if (ch >= start && ch <= end) matched = true;
          } else if (fold(c.charCodeAt(0), nocase) === fold(s.charCodeAt(si), nocase)) {
            matched = true;
          }
          pi++;
        }
        if (not) matched = !matched;
        if (!matched) return 0;
        si++;
        break;
      }
      case '\\':
        if (pi + 1 < plen) pi++; // then compare the escaped character literally
        if (fold(p.charCodeAt(pi), nocase) !== fold(s.charCodeAt(si), nocase)) return 0;
        si++;
        break;
      default:
        if (fold(p.charCodeAt(pi), nocase) !== fold(s.charCodeAt(si), nocase)) return 0;
        si++;
        break;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p[pi] === '*') pi++;
      break;
    }
  }
  return pi === plen && si === slen ? 1 : 0;
}

function fold(c: number, nocase: boolean): number {
  return nocase && c >= 65 && c <= 90 ? c + 32 : c;
}

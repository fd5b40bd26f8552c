/**
 * Redis's sdssplitargs (sds.c): splits one line of an inline request, or of a redis-cli prompt,
 * into arguments. Blanks separate arguments; "double quotes" take the escapes \n \r \t \b \a \xHH
 * and \<any>; 'single quotes' take only \'. A closing quote must be followed by a blank or the end
 * of the line, otherwise the line is refused (null) just like an unterminated quote. The line is a
 * byte string; as in C, a NUL byte ends it.
 */

/** isspace() in the C locale. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' };

/** The arguments of `line`, or null for unbalanced quotes. An empty or blank line gives []. */
export function splitArgs(line: string): string[] | null {
  const nul = line.indexOf('\0');
  const s = nul < 0 ? line : line.slice(0, nul);
  const n = s.length;
  const out: string[] = [];
  let p = 0;
  for (;;) {
    while (p < n && isSpace(s.charCodeAt(p))) p++;
    if (p >= n) return out;
    let cur = '';
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      const c = p < n ? s[p]! : '';
      if (inDouble) {
        if (c === '') return null;
        if (c === '\\' && s[p + 1] === 'x' && hexValue(s.charCodeAt(p + 2)) >= 0 && hexValue(s.charCodeAt(p + 3)) >= 0) {
          cur += String.fromCharCode(hexValue(s.charCodeAt(p + 2)) * 16 + hexValue(s.charCodeAt(p + 3)));
          p += 4;
          continue;
        }
        if (c === '\\' && p + 1 < n) {
          const e = s[p + 1]!;
          cur += ESCAPES[e] ?? e;
          p += 2;
          continue;
        }
        if (c === '"') {
          if (p + 1 < n && !isSpace(s.charCodeAt(p + 1))) return null;
          p++;
          break;
        }
        cur += c;
        p++;
      } else if (inSingle) {
        if (c === '') return null;
        if (c === '\\' && s[p + 1] === "'") {
          cur += "'";
          p += 2;
          continue;
        }
        if (c === "'") {
          if (p + 1 < n && !isSpace(s.charCodeAt(p + 1))) return null;
          p++;
          break;
        }
        cur += c;
        p++;
      } else {
        // Only these end a bare token; \v and \f do not, though they are skipped between tokens.
        if (c === '' || c === ' ' || c === '\n' || c === '\r' || c === '\t') {
          if (c !== '') p++;
          break;
        }
        if (c === '"') inDouble = true;
        else if (c === "'") inSingle = true;
        else cur += c;
        p++;
      }
    }
    out.push(cur);
  }
}

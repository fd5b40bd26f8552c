import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ManifestError } from './errors.ts';
import { decodeManifest, encodeManifest, formatManifest, needsRepr, repr, type AofManifest } from './manifest.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const L = 'file appendonly.aof.1.incr.aof seq 1 type i';

/** Every manifest redis-server 7.0.15 wrote in the fixtures. */
function redisManifests(): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const dir of ['resp-ts', 'resp-ts-rewritten', 'rdb-history']) {
    out.push([`${dir}/appendonly.aof.manifest`, readFileSync(new URL(`${dir}/appendonly.aof.manifest`, fixtures))]);
  }
  for (const f of readdirSync(new URL('manifests/', fixtures))) out.push([f, readFileSync(new URL(`manifests/${f}`, fixtures))]);
  return out;
}

function refused(text: string): ManifestError {
  try {
    decodeManifest(text);
  } catch (e) {
    if (e instanceof ManifestError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('decodeManifest', () => {
  it.each(redisManifests())('reads %s and writes it back byte for byte', (_name, bytes) => {
    const m = decodeManifest(bytes);
    expect(Buffer.from(encodeManifest(m))).toEqual(bytes);
  });

  it('reads the lists, types and counters', () => {
    const m = decodeManifest(readFileSync(new URL('manifests/after-failed-rewrites.manifest', fixtures)));
    expect(m.base).toEqual({ name: 'appendonly.aof.2.base.rdb', seq: 2, type: 'b' });
    expect(m.history.map((h) => h.name)).toEqual([
      'appendonly.aof.1.incr.aof',
      'appendonly.aof.2.incr.aof',
      'appendonly.aof.3.incr.aof',
      'appendonly.aof.1.base.rdb',
    ]);
    expect(m.incrs).toEqual([{ name: 'appendonly.aof.4.incr.aof', seq: 4, type: 'i' }]);
    expect([m.baseSeq, m.incrSeq]).toEqual([2, 4]);
  });

  it('reads quoted names (appendfilename " file seq \\n\\n.aof ")', () => {
    const m = decodeManifest(readFileSync(new URL('manifests/quoted-names.manifest', fixtures)));
    expect(m.base!.name).toBe(' file seq \n\n.aof .2.base.rdb');
    expect(m.incrs[0]!.name).toBe(' file seq \n\n.aof .2.incr.aof');
  });

  // Each row was checked against redis-server 7.0.15 (startup with the manifest) and
  // redis-check-aof (which shares the parser).
  it.each<[string, string]>([
    ['comment lines', `# a comment\n${L}\n`],
    ['extra key/value pairs (forward compatibility)', `${L} newkey newvalue\n`],
    ['keys in any case', 'FILE appendonly.aof.1.incr.aof SEQ 1 TYPE i\n'],
    ['blanks and CR around the line', `  ${L}  \r\n`],
    ['a seq read with atoll', 'file appendonly.aof.1.incr.aof seq 1abc type i\n'],
    ['a type read by its first byte', 'file appendonly.aof.1.incr.aof seq 1 type ilk\n'],
    ['a negative base seq', 'file appendonly.aof.1.base.aof seq -1 type b\n'],
    ['gaps in incr seqs', `${L}\nfile appendonly.aof.3.incr.aof seq 3 type i\n`],
    ['a line of exactly 1024 bytes', `${L}${' '.repeat(980)}\n`],
    ['an empty file name', 'file "" seq 1 type i\n'],
    ['incr seqs past 2^53', 'file a seq 9007199254740992 type i\nfile b seq 9007199254740993 type i\n'],
    ['incr seqs up to LLONG_MAX', 'file a seq 9223372036854775806 type i\nfile b seq 9223372036854775807 type i\n'],
  ])('accepts %s', (_what, text) => {
    expect(() => decodeManifest(text)).not.toThrow();
  });

  it('accepts a manifest of comments only: no base, no incr', () => {
    expect(decodeManifest('# nothing\n')).toEqual({ base: null, history: [], incrs: [], baseSeq: 0, incrSeq: 0 });
  });

  it.each<[string, string, string, number?, string?]>([
    ['an empty file', '', 'Found an empty AOF manifest'],
    ['a blank line', '\n', 'Invalid AOF manifest file format', 1, ''],
    ['a short line', 'file a seq 1\n', 'Invalid AOF manifest file format', 1, 'file a seq 1'],
    ['an odd number of fields', `${L} newkey\n`, 'Invalid AOF manifest file format', 1, `${L} newkey`],
    ['a path', 'file dir/a seq 1 type i\n', "File can't be a path, just a filename", 1, 'file dir/a seq 1 type i'],
    ['a backslash path', 'file a\\b seq 1 type i\n', "File can't be a path, just a filename", 1, 'file a\\b seq 1 type i'],
    ['a missing file key', `filx appendonly.aof.1.incr.aof seq 1 type i\n`, 'Invalid AOF manifest file format', 1, 'filx appendonly.aof.1.incr.aof seq 1 type i'],
    ['two bases', 'file a seq 1 type b\nfile a seq 1 type b\n', 'Found duplicate base file information', 2, 'file a seq 1 type b'],
    ['decreasing incr seqs', 'file b seq 2 type i\nfile a seq 1 type i\n', 'Found a non-monotonic sequence number', 2, 'file a seq 1 type i'],
    ['a repeated incr seq', 'file b seq 2 type i\nfile a seq 2 type i\n', 'Found a non-monotonic sequence number', 2, 'file a seq 2 type i'],
    // atoll clamps to LLONG_MAX.
    ['an incr seq clamped to the one before', 'file b seq 9223372036854775807 type i\nfile a seq 99999999999999999999 type i\n', 'Found a non-monotonic sequence number', 2, 'file a seq 99999999999999999999 type i'],
    ['a last line without newline', L, 'The AOF manifest file contains too long line'],
    ['a line of 1025 bytes', `${L}${' '.repeat(981)}\n`, 'The AOF manifest file contains too long line'],
    ['seq 0', 'file a seq 0 type i\n', 'Invalid AOF manifest file format', 1, 'file a seq 0 type i'],
    ['an empty type', 'file a seq 1 type ""\n', 'Invalid AOF manifest file format', 1, 'file a seq 1 type ""'],
    ['an unbalanced quote', 'file "a seq 1 type i\n', 'Invalid AOF manifest file format', 1, 'file "a seq 1 type i'],
    ['an unknown type', 'file a seq 1 type I\n', 'Unknown AOF file type', 1, 'file a seq 1 type I'],
    ['a NUL before the newline', `${L}\0 zz\n`, 'The AOF manifest file contains too long line'],
    // fgets(1025) reads the comment's first 1024 bytes, then its rest as line 2.
    ['a comment of 1032 bytes', `#${' '.repeat(1030)}x\n${L}\n`, 'Invalid AOF manifest file format', 2, 'x'],
  ])('refuses %s', (_what, text, reason, line, lineText) => {
    const e = refused(text);
    expect(e.reason).toBe(reason);
    expect(e.line).toBe(line);
    expect(e.text).toBe(lineText);
    expect(e.code).toBe('CORRUPT');
  });

  it('gives the log messages Redis writes', () => {
    expect(refused('file a seq 1 type x\n').logMessages).toEqual([
      '\n*** FATAL AOF MANIFEST FILE ERROR ***\n',
      'Reading the manifest file, at line 1\n',
      ">>> 'file a seq 1 type x'\n",
      'Unknown AOF file type\n',
    ]);
    expect(refused('').logMessages).toEqual(['\n*** FATAL AOF MANIFEST FILE ERROR ***\n', 'Found an empty AOF manifest\n']);
  });
});

describe('formatManifest', () => {
  it('writes base, history, then incrs', () => {
    const m: AofManifest = {
      base: { name: 'a.2.base.rdb', seq: 2, type: 'b' },
      history: [{ name: 'a.1.base.rdb', seq: 1, type: 'h' }],
      incrs: [{ name: 'a.2.incr.aof', seq: 2, type: 'i' }],
      baseSeq: 2,
      incrSeq: 2,
    };
    expect(formatManifest(m)).toBe('file a.2.base.rdb seq 2 type b\nfile a.1.base.rdb seq 1 type h\nfile a.2.incr.aof seq 2 type i\n');
  });

  it.each<[string, string]>([
    ['plain.aof', 'plain.aof'],
    [' a b ', '" a b "'],
    ['q"uote', '"q\\"uote"'],
    ['back\\slash', '"back\\\\slash"'],
    ['\n\r\t\x07\x08', '"\\n\\r\\t\\a\\b"'],
    ['\x00\x7f\xff\x0b', '"\\x00\\x7f\\xff\\x0b"'],
  ])('quotes %j as %s', (name, text) => {
    expect(needsRepr(name) ? repr(name) : name).toBe(text);
  });

  it('round-trips any manifest (names of any bytes but NUL and path separators)', () => {
    // Not empty, and no single quote: Redis writes those unquoted (sdsneedsrepr does not flag
    // them), giving lines its own reader refuses. appendfilename never has them in practice.
    const name = fc
      .string({ unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 20 })
      .filter((s) => !s.includes('/') && !s.includes('\\') && !s.includes("'"));
    const info = (type: 'b' | 'h' | 'i') =>
      fc.record({ name, seq: fc.integer({ min: 1, max: 1e9 }), type: fc.constant(type) });
    const manifest = fc
      .record({
        base: fc.option(info('b'), { nil: null }),
        history: fc.array(info('h'), { maxLength: 4 }),
        incrSeqs: fc.uniqueArray(fc.integer({ min: 1, max: 1e9 }), { maxLength: 4 }),
        incrNames: fc.array(name, { minLength: 4, maxLength: 4 }),
      })
      .map(({ base, history, incrSeqs, incrNames }): AofManifest => {
        const seqs = [...incrSeqs].sort((a, b) => a - b);
        const incrs = seqs.map((seq, i) => ({ name: incrNames[i]!, seq, type: 'i' as const }));
        return { base, history, incrs, baseSeq: base?.seq ?? 0, incrSeq: seqs[seqs.length - 1] ?? 0 };
      })
      .filter((m) => formatManifest(m).split('\n').every((l) => l.length < 1024));
    fc.assert(
      fc.property(manifest, (m) => {
        const text = formatManifest(m);
        if (text === '') return;
        expect(decodeManifest(text)).toEqual(m);
      }),
    );
  });
});

describe('decodeManifest fuzz', () => {
  it('either reads or refuses with a ManifestError, never anything else', () => {
    const base = new Uint8Array(readFileSync(new URL('manifests/after-reenable.manifest', fixtures)));
    const mutated = fc
      .array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }), op: fc.constantFrom('set', 'insert', 'delete') }), { maxLength: 6 })
      .map((edits) => {
        const bytes = [...base];
        for (const e of edits) {
          const at = bytes.length === 0 ? 0 : e.at % bytes.length;
          if (e.op === 'set') bytes[at] = e.byte;
          else if (e.op === 'insert') bytes.splice(at, 0, e.byte);
          else bytes.splice(at, 1);
        }
        return new Uint8Array(bytes);
      });
    fc.assert(
      fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 300 })), (bytes) => {
        try {
          decodeManifest(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(ManifestError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

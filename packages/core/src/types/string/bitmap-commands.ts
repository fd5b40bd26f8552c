/**
 * The bitmap commands (Redis's bitops.c): SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP. Bitmaps are
 * plain string values.
 *
 * SETBIT rebuilds the string around the changed byte. JS strings are immutable, so on a bitmap of
 * N bytes it costs O(N) where Redis's is O(1) (V8 ropes make the rebuild itself cheap, but the next
 * read flattens it). Fine for bitmaps of kilobytes; megabyte bitmaps written bit by bit would want
 * a mutable byte-array value instead.
 */
import { command, type CommandSpec } from '../../commands/spec.ts';
import { isInt64, parseInteger } from '../../commands/args.ts';
import type { Client } from '../../engine/client.ts';
import type { Reply } from '../../reply/reply.ts';
import { BIT_ARG, BIT_OFFSET, BIT_VALUE, BITOP_NOT_ONE_KEY, SYNTAX, WRONGTYPE } from '../../reply/errors.ts';
import { bitop, countBits, findBit, type BitOp } from './bitmap.ts';
import { cstr, STR_RAW, zeros } from './string.ts';

/** getBitOffsetFromArgument: a bit offset within proto-max-bulk-len bytes. */
function bitOffset(c: Client, arg: string): number {
  if (!isInt64(arg)) throw BIT_OFFSET;
  const n = Number(arg);
  if (n < 0 || Math.floor(n / 8) >= c.engine.config.num('proto-max-bulk-len')) throw BIT_OFFSET;
  return n;
}

function setbit(c: Client, argv: string[]): Reply {
  const key = argv[1]!;
  const offset = bitOffset(c, argv[2]!);
  const on = parseInteger(argv[3]!, BIT_VALUE);
  if (on !== 0 && on !== 1) throw BIT_VALUE;
  const e = c.db.lookup(key);
  if (e !== undefined && typeof e.value !== 'string') throw WRONGTYPE;
  const byte = Math.floor(offset / 8);
  const shift = 7 - (offset % 8);
  let s = e === undefined ? '' : (e.value as string);
  // Growing the string is a change even when the bit stays 0.
  const grown = s.length <= byte;
  if (grown) s += zeros(byte + 1 - s.length);
  const old = s.charCodeAt(byte);
  const was = (old >> shift) & 1;
  // Redis unshares the value (making it raw) before it knows whether the bit changes.
  if (e !== undefined) e.enc = STR_RAW;
  if (grown || was !== on) {
    const next = s.slice(0, byte) + String.fromCharCode(on ? old | (1 << shift) : old & ~(1 << shift)) + s.slice(byte + 1);
    if (e === undefined) {
      c.db.add(key, next).enc = STR_RAW;
    } else {
      c.db.touchEntry(key, e);
      e.value = next;
    }
    c.changed(key, 'setbit', '$');
  }
  return was;
}

function getbit(c: Client, argv: string[]): Reply {
  const offset = bitOffset(c, argv[2]!);
  const s = c.db.read(argv[1]!, 'string');
  const byte = Math.floor(offset / 8);
  if (s === undefined || byte >= s.length) return 0;
  return (s.charCodeAt(byte) >> (7 - (offset % 8))) & 1;
}

/** BYTE or BIT: true for BIT. */
function unitIsBit(arg: string): boolean {
  const u = cstr(arg);
  if (u === 'bit') return true;
  if (u !== 'byte') throw SYNTAX;
  return false;
}

/** Resolves negative indexes and clamps [start, end] to `total` units, as bitcount/bitpos do. */
function clampRange(start: number, end: number, total: number): [number, number] {
  if (start < 0) start = Math.max(0, total + start);
  if (end < 0) end = Math.max(0, total + end);
  if (end >= total) end = total - 1;
  return [start, end];
}

// Redis 7.0 looks the key up before parsing the range: a missing key answers 0 whatever follows.
function bitcount(c: Client, argv: string[]): Reply {
  const s = c.db.read(argv[1]!, 'string');
  if (s === undefined) return 0;
  const argc = argv.length;
  if (argc === 2) return s.length === 0 ? 0 : countBits(s, 0, s.length * 8 - 1);
  if (argc !== 4 && argc !== 5) throw SYNTAX;
  const start = parseInteger(argv[2]!);
  const end = parseInteger(argv[3]!);
  if (start < 0 && end < 0 && start > end) return 0;
  const isBit = argc === 5 && unitIsBit(argv[4]!);
  const [from, to] = clampRange(start, end, isBit ? s.length * 8 : s.length);
  if (from > to) return 0;
  return isBit ? countBits(s, from, to) : countBits(s, from * 8, to * 8 + 7);
}

function bitpos(c: Client, argv: string[]): Reply {
  const bit = parseInteger(argv[2]!);
  if (bit !== 0 && bit !== 1) throw BIT_ARG;
  const e = c.db.lookup(argv[1]!);
  // A missing key is an endless run of zeros.
  if (e === undefined) return bit === 1 ? -1 : 0;
  const s = e.value;
  if (typeof s !== 'string') throw WRONGTYPE;
  const argc = argv.length;
  let start = 0;
  let end = s.length - 1;
  let isBit = false;
  let endGiven = false;
  if (argc >= 4 && argc <= 6) {
    start = parseInteger(argv[3]!);
    if (argc === 6) isBit = unitIsBit(argv[5]!);
    if (argc >= 5) {
      end = parseInteger(argv[4]!);
      endGiven = true;
    }
    [start, end] = clampRange(start, end, isBit ? s.length * 8 : s.length);
  } else if (argc !== 3) {
    throw SYNTAX;
  }
  if (start > end) return -1;
  const [from, to] = isBit ? [start, end] : [start * 8, end * 8 + 7];
  const pos = findBit(s, bit, from, to);
  if (pos !== -1 || bit === 1 || endGiven) return pos;
  // Looking for a 0 with no end given: the string reads as followed by zeros.
  return to + 1;
}

function bitopCommand(c: Client, argv: string[]): Reply {
  const op = cstr(argv[1]!);
  if (op !== 'and' && op !== 'or' && op !== 'xor' && op !== 'not') throw SYNTAX;
  if (op === 'not' && argv.length !== 4) throw BITOP_NOT_ONE_KEY;
  const srcs: string[] = [];
  let len = 0;
  for (let j = 3; j < argv.length; j++) {
    const v = c.db.lookup(argv[j]!)?.value ?? '';
    if (typeof v !== 'string') throw WRONGTYPE;
    srcs.push(v);
    if (v.length > len) len = v.length;
  }
  const dest = argv[2]!;
  if (len > 0) {
    c.db.set(dest, bitop(op as BitOp, srcs, len)).enc = STR_RAW;
    c.changed(dest, 'set', '$');
  } else if (c.db.delete(dest)) {
    // An empty result deletes the destination, whatever it held: Redis's bare dbDelete, so one
    // whose time has passed is deleted, not expired (see storeResult).
    c.changed(dest, 'del', 'g');
  }
  return len;
}

export const bitmapCommands: CommandSpec[] = [
  // SETBIT key offset value
  command({
    name: 'setbit', arity: 4, flags: ['write', 'denyoom'], keys: [1, 1, 1], group: 'bitmap', since: '2.2.0',
    summary: 'Sets or clears the bit at offset in the string value stored at key', syntax: 'key offset value',
    complexity: 'O(1)',
    handler: setbit,
  }),
  // GETBIT key offset
  command({
    name: 'getbit', arity: 3, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'bitmap', since: '2.2.0',
    summary: 'Returns the bit value at offset in the string value stored at key', syntax: 'key offset',
    complexity: 'O(1)',
    handler: getbit,
  }),
  // BITCOUNT key [start end [BYTE | BIT]]
  command({
    name: 'bitcount', arity: -2, flags: ['readonly'], keys: [1, 1, 1], group: 'bitmap', since: '2.6.0',
    summary: 'Count set bits in a string', syntax: 'key [start end [BYTE | BIT]]', complexity: 'O(N)',
    handler: bitcount,
  }),
  // BITPOS key bit [start [end [BYTE | BIT]]]
  command({
    name: 'bitpos', arity: -3, flags: ['readonly'], keys: [1, 1, 1], group: 'bitmap', since: '2.8.7',
    summary: 'Find first bit set or clear in a string', syntax: 'key bit [start [end [BYTE | BIT]]]',
    complexity: 'O(N)',
    handler: bitpos,
  }),
  // BITOP operation destkey key [key ...]
  command({
    name: 'bitop', arity: -4, flags: ['write', 'denyoom'], keys: [2, -1, 1], group: 'bitmap', since: '2.6.0',
    summary: 'Perform bitwise operations between strings', syntax: 'operation destkey key [key ...]',
    complexity: 'O(N)',
    handler: bitopCommand,
  }),
];

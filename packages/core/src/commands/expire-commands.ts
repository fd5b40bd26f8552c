/**
 * The EXPIRE family and TTL queries (Redis's expire.c expireGenericCommand / ttlGenericCommand).
 *
 * A TTL is stored as an absolute unix time in ms (`Entry.expireAt`); a key is expired once
 * `now > expireAt`. Every successful EXPIRE propagates as `PEXPIREAT key <abs-ms> [options]`, so
 * replaying the AOF never depends on the clock; one whose time has already passed deletes the key
 * and propagates `DEL` (`UNLINK` under lazyfree-lazy-expire), except while loading, when the time
 * is stored as given and the key expires later like any other.
 */
import type { Client } from '../engine/client.ts';
import {
  EXPIRE_GT_AND_LT, EXPIRE_NX_AND_OTHERS, INVALID_EXPIRE, unsupportedOption,
} from '../reply/errors.ts';
import { INT64_MAX, isOpt, parseInteger } from './args.ts';
import { command, type CommandSpec } from './spec.ts';

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

/** Redis's LLONG_MAX / 1000 (C division): the largest seconds value that fits in ms. */
const MAX_SECONDS = 9223372036854775n;
/** Up to this magnitude `n * 1000 + now` is exact in a double, so the BigInt path is skipped. */
const SAFE_MAGNITUDE = 9e12;

/** `[NX | XX | GT | LT]` from argv[3] on; options are checked before the time argument. */
function parseExpireFlags(argv: string[]): number {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    if (isOpt(opt, 'nx')) flags |= NX;
    else if (isOpt(opt, 'xx')) flags |= XX;
    else if (isOpt(opt, 'gt')) flags |= GT;
    else if (isOpt(opt, 'lt')) flags |= LT;
    else throw unsupportedOption(opt);
  }
  if (flags & NX && flags & (XX | GT | LT)) throw EXPIRE_NX_AND_OTHERS;
  if (flags & GT && flags & LT) throw EXPIRE_GT_AND_LT;
  return flags;
}

/**
 * `relative`: the time is added to now (EXPIRE, PEXPIRE); `seconds`: it is in seconds. Returns 1
 * when the TTL was set (or the key deleted), 0 when the key is missing or a condition failed.
 */
function expireGeneric(c: Client, argv: string[], name: string, relative: boolean, seconds: boolean): number {
  const flags = argv.length > 3 ? parseExpireFlags(argv) : 0;
  const arg = argv[2]!;
  const n = parseInteger(arg);
  const basetime = relative ? c.engine.now() : 0;
  let when: number;
  /** The exact decimal time when it may not survive a double (past 2^53). */
  let exact: string | undefined;
  if (n <= SAFE_MAGNITUDE && n >= -SAFE_MAGNITUDE) {
    when = (seconds ? n * 1000 : n) + basetime;
  } else {
    let w = BigInt(arg);
    if (seconds) {
      if (w > MAX_SECONDS || w < -MAX_SECONDS) throw INVALID_EXPIRE(name);
      w *= 1000n;
    }
    if (w > INT64_MAX - BigInt(basetime)) throw INVALID_EXPIRE(name);
    w += BigInt(basetime);
    when = Number(w);
    exact = String(w);
  }

  const key = argv[1]!;
  const db = c.db;
  const e = db.lookup(key);
  if (e === undefined) return 0;
  if (flags !== 0) {
    const current = e.expireAt;
    if (flags & NX && current !== -1) return 0;
    if (flags & XX && current === -1) return 0;
    // No TTL counts as an infinite one: GT always fails, LT always passes.
    if (flags & GT && (current === -1 || when <= current)) return 0;
    if (flags & LT && current !== -1 && when >= current) return 0;
  }

  const propagating = c.engine.propagation.active;
  if (when <= c.engine.now() && c.engine.ks.expireEnabled) {
    db.delete(key);
    if (propagating) {
      c.rewrite([c.engine.config.value('lazyfree-lazy-expire') === 'yes' ? 'UNLINK' : 'DEL', key]);
    }
    c.changed(key, 'del', 'g');
    return 1;
  }
  db.setExpire(key, e, when);
  // PEXPIREAT's own argv already is the propagated form.
  if (propagating && name !== 'pexpireat') {
    const out = argv.slice();
    out[0] = 'PEXPIREAT';
    out[2] = exact ?? String(when);
    c.rewrite(out);
  }
  c.changed(key, 'expire', 'g');
  return 1;
}

/** TTL family: -2 no key, -1 no TTL; `abs` gives the expiry time instead of what is left. */
function ttlGeneric(c: Client, key: string, ms: boolean, abs: boolean): number {
  const e = c.db.lookup(key);
  if (e === undefined) return -2;
  if (e.expireAt === -1) return -1;
  let ttl = abs ? e.expireAt : e.expireAt - c.engine.now();
  if (ttl < 0) ttl = 0;
  return ms ? ttl : Math.floor((ttl + 500) / 1000);
}

const OPTS = '[NX | XX | GT | LT]';

export const expireCommands: CommandSpec[] = [
  // EXPIRE key seconds [NX | XX | GT | LT]
  command({
    name: 'expire', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'generic', since: '1.0.0',
    summary: "Set a key's time to live in seconds", syntax: `key seconds ${OPTS}`, complexity: 'O(1)',
    handler: (c, argv) => expireGeneric(c, argv, 'expire', true, true),
  }),
  // PEXPIRE key milliseconds [NX | XX | GT | LT]
  command({
    name: 'pexpire', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    summary: "Set a key's time to live in milliseconds", syntax: `key milliseconds ${OPTS}`, complexity: 'O(1)',
    handler: (c, argv) => expireGeneric(c, argv, 'pexpire', true, false),
  }),
  // EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
  command({
    name: 'expireat', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'generic', since: '1.2.0',
    summary: 'Set the expiration for a key as a UNIX timestamp', syntax: `key unix-time-seconds ${OPTS}`,
    complexity: 'O(1)',
    handler: (c, argv) => expireGeneric(c, argv, 'expireat', false, true),
  }),
  // PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
  command({
    name: 'pexpireat', arity: -3, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    summary: 'Set the expiration for a key as a UNIX timestamp specified in milliseconds',
    syntax: `key unix-time-milliseconds ${OPTS}`, complexity: 'O(1)',
    handler: (c, argv) => expireGeneric(c, argv, 'pexpireat', false, false),
  }),
  // TTL key
  command({
    name: 'ttl', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'generic', since: '1.0.0',
    summary: 'Get the time to live for a key in seconds', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => ttlGeneric(c, argv[1]!, false, false),
  }),
  // PTTL key
  command({
    name: 'pttl', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    summary: 'Get the time to live for a key in milliseconds', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => ttlGeneric(c, argv[1]!, true, false),
  }),
  // EXPIRETIME key
  command({
    name: 'expiretime', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'generic', since: '7.0.0',
    summary: 'Get the expiration Unix timestamp for a key', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => ttlGeneric(c, argv[1]!, false, true),
  }),
  // PEXPIRETIME key
  command({
    name: 'pexpiretime', arity: 2, flags: ['readonly', 'fast'], keys: [1, 1, 1], group: 'generic', since: '7.0.0',
    summary: 'Get the expiration Unix timestamp for a key in milliseconds', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => ttlGeneric(c, argv[1]!, true, true),
  }),
  // PERSIST key
  command({
    name: 'persist', arity: 2, flags: ['write', 'fast'], keys: [1, 1, 1], group: 'generic', since: '2.2.0',
    summary: 'Remove the expiration from a key', syntax: 'key', complexity: 'O(1)',
    handler: (c, argv) => {
      const key = argv[1]!;
      const e = c.db.lookup(key);
      if (e === undefined || !c.db.persist(key, e)) return 0;
      c.changed(key, 'persist', 'g');
      return 1;
    },
  }),
];

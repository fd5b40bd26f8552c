/**
 * Two clients interleaving MULTI / EXEC / DISCARD / WATCH / UNWATCH with writes to the same keys:
 * queued-command errors (EXECABORT), run-time errors inside EXEC, WATCHed keys touched by the
 * other client, by a deletion through an expire time in the past, by FLUSHDB or SWAPDB. Commands
 * are the deterministic kind only, since EXEC's reply is compared exactly.
 */
import fc from 'fast-check';
import { cmd, pick, some, type Argv, type Step } from './dsl.ts';
import { element, key, keys, ttlSeconds, value } from './values.ts';
import type { Family } from '../harness.ts';

export const TRANSACTION_COMMANDS = ['MULTI', 'EXEC', 'DISCARD', 'WATCH', 'UNWATCH'] as const;

const data = pick<Argv>(
  [4, cmd('SET', key, value)],
  [3, cmd('GET', key)],
  [3, cmd('INCR', key)],
  [2, cmd('DEL', keys(1, 2))],
  [3, cmd('LPUSH', key, some(element, 1, 2))],
  [2, cmd('RPOP', key)],
  [2, cmd('SADD', key, some(element, 1, 2))],
  [1, cmd('EXPIRE', key, ttlSeconds)],
  [1, cmd('PEXPIREAT', key, '1')],
  [1, cmd('APPEND', key, value)],
  [1, cmd('EXISTS', keys(1, 3))],
  [1, cmd('SELECT', fc.constantFrom('0', '1'))],
  [1, cmd('FLUSHDB')],
  [1, cmd('SWAPDB', '0', '1')],
  [1, cmd('BLPOP', key, '0.02')],
  [1, cmd('RENAME', key, key)],
);

/** Commands that fail when queued (unknown, arity) or when run (WRONGTYPE, not an integer). */
const faulty = pick<Argv>(
  [2, cmd(fc.constantFrom('NOSUCHCMD', 'GETT'), some(key, 0, 2))],
  [2, cmd(fc.constantFrom('GET', 'SET', 'INCR', 'LPUSH'))],
  [1, cmd('INCRBY', key, fc.constantFrom('abc', '1'))],
  [1, cmd('LPUSH', key, element)],
);

const txn = pick<Argv>(
  [6, cmd('MULTI')],
  [5, cmd('EXEC')],
  [2, cmd('DISCARD')],
  [4, cmd('WATCH', keys(1, 3))],
  [2, cmd('UNWATCH')],
  [1, cmd('RESET')],
);

export const transactions: Family = {
  name: 'transactions',
  covers: TRANSACTION_COMMANDS,
  clients: 2,
  runs: 100,
  steps: () =>
    fc.array(
      fc.record({ client: fc.constantFrom(0, 1), argv: pick<Argv>([5, txn], [8, data], [2, faulty]) }) as fc.Arbitrary<Step>,
      { minLength: 2, maxLength: 40, size: 'max' },
    ),
};

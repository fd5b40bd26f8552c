#!/usr/bin/env node
/**
 * Regenerates the golden RDB files in this folder with a real redis-server (7.0.15 when they were
 * made): for each dataset, start a server in a temp dir with the dataset's config, run its
 * commands, SAVE, and copy dump.rdb here next to a JSON of what the server then holds (every key's
 * type, encoding, absolute TTL, value (a SHA-1 of its JSON when large), and DUMP payload in hex
 * when small). golden.test.ts decodes the files and compares with the JSON.
 *
 *   node packages/core/src/rdb/__fixtures__/make-fixtures.mjs
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snapshot, startServer } from './redis.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** A deterministic byte-string generator (the fixtures must not change between runs). */
function words(seed) {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  const vocab = ['alpha', 'beta', 'gamma', 'delta', 'larder', 'redis', 'value', 'x', '42', 'zz'];
  return (n) => {
    let out = '';
    while (out.length < n) out += vocab[next() % vocab.length] + (next() % 3 === 0 ? ' ' : '-');
    return out.slice(0, n);
  };
}

const FUNCTION = "#!lua name=mylib\nredis.register_function('echo1', function(keys, args) return args[1] end)";

function typesDataset() {
  const w = words(7);
  const cmds = [
    ['SET', 'str', 'hello'],
    ['PEXPIREAT', 'str', '1900000000000'],
    ['SET', 'int8', '12'],
    ['SET', 'int16', '-1000'],
    ['SET', 'int32', '100000'],
    ['SET', 'big', '12345678901'],
    ['SET', 'int64max', '9223372036854775807'],
    ['SET', 'notint', '007'],
    ['SET', 'minuszero', '-0'],
    ['SET', 'empty', ''],
    ['SET', 'lzf', 'a'.repeat(56)],
    ['SET', 'text', w(300)],
    ['SET', 'incompressible', 'q8Z!x0@LmR#2vT$9kW%4nY^6'],
    ['SET', 'bin\x00\xff\x80', '\x00\x01\x02\xfe\xff binary \r\n'],
    ['SET', '123', 'int-encoded key'],
    ['SET', 'k'.repeat(40), 'LZF-compressed key'],
    ['SET', 'ttl-ms', 'x'],
    ['PEXPIREAT', 'ttl-ms', '2000000000123'],
    ['RPUSH', 'list', 'a', '1', '-5', '300', '70000'],
    ['RPUSH', 'list-ints', '0', '127', '128', '-4096', '4095', '-32768', '32767', '8388607', '-8388608', '2147483647', '-2147483648', '9223372036854775807', '-9223372036854775808', '12345678901234'],
    ['RPUSH', 'list-big', ...Array.from({ length: 400 }, (_, i) => `${i}:${w(30)}`)],
    ['RPUSH', 'list-huge-element', 'small', 'y'.repeat(9000), 'tail'],
    ['SADD', 'iset', '3', '1', '2'],
    ['SADD', 'iset64', '-9223372036854775808', '5', '9223372036854775807'],
    ['SADD', 'iset32', '100000', '-100000', '7'],
    ['SADD', 'sset', 'x', 'y', 'z'],
    ['SADD', 'set-large', ...Array.from({ length: 600 }, (_, i) => String(i * 7))],
    ['HSET', 'hash', 'f', 'v', 'n', '7', 'neg', '-300'],
    ['HSET', 'hash-large', ...Array.from({ length: 600 }, (_, i) => [`field:${i}`, `v${i}`]).flat()],
    ['HSET', 'hash-longval', 'f', 'v'.repeat(100)],
    ['ZADD', 'zset', '1', 'a', '2.5', 'b', '0.1', 'c', '-inf', 'd', 'inf', 'e', '1e300', 'f', '-0', 'g', '-17', 'h', '4503599627370496', 'i'],
    ['ZADD', 'zset-large', ...Array.from({ length: 200 }, (_, i) => [String(i / 3), `m${i}`]).flat()],
    ['ZADD', 'zset-longmember', '1.5', 'm'.repeat(100), '-inf', 'low', 'inf', 'high'],
    ['PEXPIREAT', 'zset', '1900000000000'],
    ['FUNCTION', 'LOAD', FUNCTION],
    ['SELECT', '1'],
    ['SET', 'db1-key', 'one'],
    ['RPUSH', 'db1-list', 'p', 'q'],
    ['PEXPIREAT', 'db1-list', '1900000000999'],
    ['SELECT', '5'],
    ['HSET', 'db5-hash', 'a', '1'],
    ['SELECT', '0'],
  ];
  return { name: 'redis-7.0.15-types', args: [], cmds };
}

function plainDataset() {
  const w = words(11);
  return {
    name: 'redis-7.0.15-nocompress-nochecksum',
    args: ['--rdbcompression', 'no', '--rdbchecksum', 'no'],
    cmds: [
      ['SET', 'long', 'b'.repeat(100)],
      ['SET', 'n', '-7'],
      ['RPUSH', 'list', ...Array.from({ length: 20 }, () => w(25))],
      ['SADD', 'set', 'm1', 'm2'],
      ['HSET', 'hash', 'k', 'v'.repeat(30)],
      ['ZADD', 'zset', '3.25', 'x', '-2', 'y'],
      ['PEXPIREAT', 'list', '1900000000000'],
    ],
  };
}

function listOptionsDataset() {
  const w = words(3);
  return {
    name: 'redis-7.0.15-list-compress',
    args: ['--list-compress-depth', '1', '--list-max-listpack-size', '5'],
    cmds: [['RPUSH', 'cl', ...Array.from({ length: 23 }, (_, i) => `${i} ${w(20)}`)]],
  };
}

async function make({ name, args, cmds }) {
  const dir = mkdtempSync(join(tmpdir(), 'larder-rdb-fixture-'));
  const srv = await startServer(dir, args);
  try {
    for (const c of cmds) {
      const r = await srv.call(c);
      if (r && typeof r === 'object' && 'error' in r) throw new Error(`${c.join(' ')}: ${r.error}`);
    }
    const keys = await snapshot(srv);
    for (const k of keys) {
      await srv.call(['SELECT', String(k.db)]);
      const dump = Buffer.from(await srv.call(['DUMP', k.key]), 'latin1').toString('hex');
      if (dump.length <= 600) k.dump = dump;
      // Big values are kept as a digest to keep the fixture small (golden.test.ts hashes the same way).
      const json = JSON.stringify(k.value);
      if (json.length > 400) {
        k.valueSha1 = createHash('sha1').update(json, 'utf8').digest('hex');
        delete k.value;
      }
    }
    await srv.call(['SELECT', '0']);
    const functions = name.endsWith('types') ? [FUNCTION] : [];
    if ((await srv.call(['SAVE'])) !== 'OK') throw new Error('SAVE failed');
    copyFileSync(join(dir, 'dump.rdb'), join(here, `${name}.rdb`));
    writeFileSync(join(here, `${name}.json`), JSON.stringify({ args, functions, keys }, null, 1) + '\n');
    console.log(`${name}: ${keys.length} keys`);
  } finally {
    await srv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await make(typesDataset());
await make(plainDataset());
await make(listOptionsDataset());
await make({ name: 'redis-7.0.15-empty', args: [], cmds: [] });

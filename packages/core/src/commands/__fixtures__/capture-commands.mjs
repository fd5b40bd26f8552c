#!/usr/bin/env node
/**
 * Captures redis-server's command table (COMMAND INFO + the doc fields of COMMAND DOCS) into
 * redis-7.0.15-commands.json beside this script, for command-table.test.ts to diff our table
 * against. Run it against a live server of the version the file is named after:
 *
 *   redis-server --port 7777 --save '' --appendonly no &
 *   node packages/core/src/commands/__fixtures__/capture-commands.mjs 7777
 *
 * Self-contained (no build step, no dependencies): a minimal RESP2 client follows.
 */
import net from 'node:net';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const port = Number(process.argv[2] ?? 6379);

/** Parses one RESP2 value at `pos`; returns [value, next] or undefined when incomplete. */
function parse(buf, pos) {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) return undefined;
  const type = buf[pos];
  const line = buf.slice(pos + 1, eol);
  let next = eol + 2;
  switch (type) {
    case '+': return [line, next];
    case '-': return [{ error: line }, next];
    case ':': return [Number(line), next];
    case '$': {
      const n = Number(line);
      if (n < 0) return [null, next];
      if (buf.length < next + n + 2) return undefined;
      return [buf.slice(next, next + n), next + n + 2];
    }
    case '*': {
      const n = Number(line);
      if (n < 0) return [null, next];
      const out = [];
      for (let i = 0; i < n; i++) {
        const r = parse(buf, next);
        if (r === undefined) return undefined;
        out.push(r[0]);
        next = r[1];
      }
      return [out, next];
    }
    default: throw new Error(`unexpected RESP type ${type}`);
  }
}

function call(argv) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = '';
    s.on('error', reject);
    s.on('data', (d) => {
      buf += d.toString('latin1');
      const r = parse(buf, 0);
      if (r !== undefined) {
        s.end();
        resolve(r[0]);
      }
    });
    s.write(`*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(''));
  });
}

/** A flat [k, v, k, v] array as an object. */
const pairs = (a) => Object.fromEntries(Array.from({ length: a.length / 2 }, (_, i) => [a[2 * i], a[2 * i + 1]]));

function keySpec(raw) {
  const ks = pairs(raw);
  const out = { flags: ks.flags, begin_search: pairs(ks.begin_search), find_keys: pairs(ks.find_keys) };
  out.begin_search.spec = pairs(out.begin_search.spec);
  out.find_keys.spec = pairs(out.find_keys.spec);
  if (ks.notes !== undefined) out.notes = ks.notes;
  return out;
}

function info(raw, docs) {
  const [name, arity, flags, first, last, step, acl, tips, specs, subs] = raw;
  const d = docs?.[name];
  const entry = {
    name, arity, flags, keys: [first, last, step], acl, tips,
    key_specs: specs.map(keySpec),
    ...(d ? { summary: d.summary, since: d.since, group: d.group, complexity: d.complexity } : {}),
  };
  if (subs.length > 0) entry.subcommands = subs.map((s) => info(s, d?.subcommands)).sort((a, b) => (a.name < b.name ? -1 : 1));
  return entry;
}

function docMap(raw) {
  const out = {};
  for (const [name, fields] of Object.entries(pairs(raw))) {
    const f = pairs(fields);
    out[name] = { ...f, subcommands: f.subcommands ? docMap(f.subcommands) : undefined };
  }
  return out;
}

const version = pairs(await call(['HELLO', '2'])).version;
const docs = docMap(await call(['COMMAND', 'DOCS']));
const all = (await call(['COMMAND', 'INFO'])).map((r) => info(r, docs)).sort((a, b) => (a.name < b.name ? -1 : 1));
const file = fileURLToPath(new URL(`./redis-${version}-commands.json`, import.meta.url));
writeFileSync(file, `[\n${all.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`);
console.log(`${all.length} commands of redis ${version} → ${file}`);

// Browser benchmarks, all in one Chromium run (Debian's /usr/bin/chromium on a fresh persistent
// profile, through the test harness: browser-lib.mjs):
//   1. page → worker throughput of Larder per appendfsync policy against idb-keyval, localForage
//      and Dexie doing the same writes and reads: awaited one by one, 10,000 in flight, groups of 100;
//   2. the policies as ratios of `no`;
//   3. where a call's time goes (the probe worker: comlink, the worker's exec, OPFS writes);
//   4. tabs: the same calls from the tab whose worker holds the store and from another tab, whose
//      worker forwards them to it over a BroadcastChannel;
//   5. restore of 1M keys x 100 B (an RDB AOF base in IndexedDB + a 100k-command tail in OPFS)
//      against redis-server loading its own appendonlydir of the same data (browser-restore.mjs).
// Sizes: BENCH_RUNS (3), BENCH_INFLIGHT (10,000), BENCH_KEYS (1M), BENCH_VALUE_SIZE (100),
// BENCH_AOF_TAIL (100k). BENCH_PARTS=throughput,profile,tabs,restore picks parts.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { benchBrowser, loadHarness } from './browser-lib.mjs';
import { restore } from './browser-restore.mjs';
import { fmt, median, table } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const INFLIGHT = Number(process.env.BENCH_INFLIGHT ?? 10_000);
// Read here and passed on, so that one place says what the environment can change.
const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const SIZE = Number(process.env.BENCH_VALUE_SIZE ?? 100);
const TAIL = Number(process.env.BENCH_AOF_TAIL ?? 100_000);
const PARTS = (process.env.BENCH_PARTS ?? 'throughput,profile,tabs,restore').split(',');
const POLICIES = ['no', 'everysec', 'always'];
const larderName = (p) => `Larder (${p})`;

const x = (a, b) => `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×`;
const us = (ms, n) => `${((ms * 1000) / n).toFixed(1)} µs`;

// ---- 1-3: throughput --------------------------------------------------------------------------

async function throughput(b) {
  const page = await b.page();
  const names = await page.evaluate((policies) => bench.setup({ policies, probePolicies: ['no', 'always'] }), POLICIES);
  for (const n of [...names, 'probe-no', 'probe-always']) await page.evaluate((n) => bench.check(n), n);
  const out = [];
  if (PARTS.includes('throughput')) out.push(await rates(page, names));
  if (PARTS.includes('profile')) out.push(await profile(page));
  await page.evaluate(() => bench.closeAll());
  await page.close();
  return out.join('\n');
}

/** Part 1 and 2: every store's rates (median of RUNS rounds), the targets, and the policies' ratios. */
async function rates(page, names) {
  const modes = [
    ['awaited', {}],
    ['inflight', { n: INFLIGHT }],
    ['batch', { size: 100 }],
  ];
  const res = {}; // `${name}|${op}|${mode}` → rates
  for (let r = 0; r < RUNS; r++) {
    for (const op of ['set', 'get']) {
      for (const [mode, opts] of modes) {
        // Every store once per round, each round starting at another store (IndexedDB's storage
        // process keeps working after a peer's writes: whoever runs next would pay for it).
        for (let j = 0; j < names.length; j++) {
          const n = names[(j + r) % names.length];
          await new Promise((res) => setTimeout(res, 250));
          const rate = await page.evaluate(([n, op, mode, opts]) => bench.measure(n, op, mode, opts), [n, op, mode, opts]);
          (res[`${n}|${op}|${mode}`] ??= []).push(rate);
        }
      }
    }
    process.stderr.write(`browser: throughput round ${r + 1}/${RUNS} done\n`);
  }
  const m = (n, op, mode) => median(res[`${n}|${op}|${mode}`]);

  const out = [];
  for (const op of ['set', 'get']) {
    const rows = names.map((n) => [n, fmt(m(n, op, 'awaited')), fmt(m(n, op, 'inflight')), fmt(m(n, op, 'batch')),
      x(m(n, op, 'awaited'), m('idb-keyval', op, 'awaited')), x(m(n, op, 'inflight'), m('idb-keyval', op, 'inflight'))]);
    out.push(`#### ${op === 'set' ? 'Writes: Larder `set`, idb-keyval `set`, localForage `setItem`, Dexie `table.put`' : 'Reads: `get` / `getItem` / `table.get`'}\n`);
    out.push(table(['store', 'awaited one by one', `${fmt(INFLIGHT)} in flight`, 'groups of 100 (pipeline / bulk)', 'awaited ÷ idb-keyval', 'in flight ÷ idb-keyval'], rows));
    out.push('');
  }

  const target = [];
  const aw = m(larderName('no'), 'set', 'awaited') / m('idb-keyval', 'set', 'awaited');
  target.push(['awaited `set`, Larder (no) ÷ idb-keyval', x(m(larderName('no'), 'set', 'awaited'), m('idb-keyval', 'set', 'awaited')), '≥ 20×', aw >= 20 ? 'met' : '**not met**']);
  for (const p of POLICIES) {
    const v = m(larderName(p), 'set', 'inflight');
    target.push([`${fmt(INFLIGHT)} \`set\`s in flight, Larder (${p})`, `${fmt(v)} ops/s`, '≥ 300k ops/s', v >= 300_000 ? 'met' : '**not met**']);
  }
  out.push('#### Against the targets\n');
  out.push(table(['measure', 'value', 'target', ''], target));
  out.push('');

  const pol = [];
  for (const p of ['everysec', 'always']) {
    pol.push([p, ...['awaited', 'inflight', 'batch'].map((mode) => x(m(larderName(p), 'set', mode), m(larderName('no'), 'set', mode)))]);
  }
  out.push('#### appendfsync policies: `set` throughput as a ratio of `no`\n');
  out.push(table(['appendfsync', 'awaited one by one', `${fmt(INFLIGHT)} in flight`, 'pipelines of 100'], pol));
  out.push('');
  return out.join('\n');
}

/** Where the time of Larder's calls goes, from the probe workers' counters. */
async function profile(page) {
  const kinds = [['echo', 'no'], ['fake-exec-1', 'no'], ['awaited-get', 'no'], ['awaited-set', 'no'], ['awaited-set', 'always'],
    ['client-only', 'no'], ['client-batching', 'no'], ['fake-exec-n', 'no'], ['inflight-get', 'no'], ['inflight-set', 'no'],
    ['inflight-set', 'always'], ['engine-only', 'no']];
  const runs = {};
  for (let r = 0; r < RUNS; r++) {
    for (const [kind, policy] of kinds) {
      (runs[`${kind}|${policy}`] ??= []).push(await page.evaluate(([kind, policy, n]) => bench.split(kind, { policy, n }), [kind, policy, INFLIGHT]));
    }
  }
  // The run with the median page-side time, so its worker counters belong to it.
  const med = (k) => {
    const s = [...runs[k]].sort((a, b) => (a.ms ?? -a.opsPerSec) - (b.ms ?? -b.opsPerSec));
    return s[s.length >> 1];
  };
  const rows = [];
  const per = (k, label) => {
    const r = med(k);
    const w = r.worker;
    rows.push([label, us(r.ms, r.ops), w.calls ? us(w.ms, r.ops) : '—',
      w.writes ? `${(w.writes / r.ops).toFixed(2)} × ${us(w.writeMs, w.writes)}` : '—',
      w.flushes ? `${(w.flushes / r.ops).toFixed(3)} × ${us(w.flushMs, w.flushes)}` : '—',
      w.calls ? us(r.ms - w.ms, r.ops) : '—']);
  };
  per('echo|no', 'comlink call that does nothing (`echo`)');
  per('fake-exec-1|no', 'comlink `exec` of 1 command, no engine (`fakeExec`)');
  per('awaited-get|no', 'awaited `get`, no (typed client → host → engine)');
  per('awaited-set|no', 'awaited `set`, no (… + barrier: OPFS write)');
  per('awaited-set|always', 'awaited `set`, always (… + group commit: write + flush)');
  per('client-only|no', `${fmt(INFLIGHT)} \`set\`s in flight, typed client alone (no worker)`);
  per('client-batching|no', `${fmt(INFLIGHT)} \`set\`s in flight, typed client + per-tick batching (no worker)`);
  per('fake-exec-n|no', `${fmt(INFLIGHT)} commands in one comlink \`exec\`, no engine`);
  per('inflight-get|no', `${fmt(INFLIGHT)} \`get\`s in flight, no (one batch)`);
  per('inflight-set|no', `${fmt(INFLIGHT)} \`set\`s in flight, no (one batch)`);
  per('inflight-set|always', `${fmt(INFLIGHT)} \`set\`s in flight, always (one batch)`);
  const engine = med('engine-only|no').opsPerSec;
  return [
    `#### Where the time goes (probe worker: the real host with exec and OPFS calls timed inside; median of ${RUNS})\n`,
    table(['call', 'page-side time per command', "worker's exec per command", 'OPFS writes per command × time each', 'OPFS flushes per command × time each', 'outside exec (page, comlink, clone)'], rows),
    '',
    `The engine alone in the same worker (no persistence, no messages): ${fmt(engine)} SET/s (${us(1000 / engine, 1)} each).`,
    '',
  ].join('\n');
}

// ---- 4: tabs ----------------------------------------------------------------------------------

/** Larder (`everysec`) called from the owner's tab and from a follower's, alternating, median of RUNS. */
async function tabs(b) {
  const pages = { owner: await b.page(), follower: await b.page() };
  for (const p of Object.values(pages)) await p.evaluate(() => bench.setup({ policies: ['everysec'] }));
  for (const [want, p] of Object.entries(pages)) {
    const got = await p.evaluate(() => bench.role('everysec'));
    if (got !== want) throw new Error(`tabs: expected this tab to be the ${want}, it is the ${got}`);
  }
  await pages.follower.evaluate(() => bench.check('Larder (everysec)'));
  const cases = [['set', 'awaited', {}], ['get', 'awaited', {}], ['set', 'inflight', { n: INFLIGHT }], ['get', 'inflight', { n: INFLIGHT }], ['set', 'batch', { size: 100 }]];
  const res = {};
  for (let r = 0; r < RUNS; r++) {
    for (const [op, mode, opts] of cases) {
      const order = r % 2 === 0 ? ['owner', 'follower'] : ['follower', 'owner'];
      for (const who of order) {
        await new Promise((res) => setTimeout(res, 250));
        const rate = await pages[who].evaluate(([op, mode, opts]) => bench.measure('Larder (everysec)', op, mode, opts), [op, mode, opts]);
        (res[`${who}|${op}|${mode}`] ??= []).push(rate);
      }
    }
    process.stderr.write(`browser: tabs round ${r + 1}/${RUNS} done\n`);
  }
  const label = { awaited: 'awaited one by one', inflight: `${fmt(INFLIGHT)} in flight`, batch: 'pipelines of 100' };
  const rows = cases.map(([op, mode]) => {
    const [o, f] = ['owner', 'follower'].map((who) => median(res[`${who}|${op}|${mode}`]));
    return [`\`${op}\`, ${label[mode]}`, `${fmt(o)} ops/s (${us(1000, o)})`, `${fmt(f)} ops/s (${us(1000, f)})`, x(o, f)];
  });
  for (const p of [pages.follower, pages.owner]) {
    await p.evaluate(() => bench.closeAll());
    await p.close();
  }
  return [
    `#### Tabs: the owner's tab and a follower's (Larder \`everysec\`, median of ${RUNS})\n`,
    table(['calls', "owner's tab", "follower's tab", 'follower slower by'], rows),
    '',
  ].join('\n');
}

// ---- main -------------------------------------------------------------------------------------

const load0 = loadavg()[0];
const h = await loadHarness();
const b = await benchBrowser(h);
const cleanup = [];
const sections = [];
try {
  const version = (await b.browser.browser.version?.()) ?? '';
  sections.push(`### Browser: Chromium ${version} headless, persistent profile, page on http://localhost (median of ${RUNS} runs)\n`);
  if (PARTS.includes('throughput') || PARTS.includes('profile')) sections.push(await throughput(b));
  if (PARTS.includes('tabs')) sections.push(await tabs(b));
  if (PARTS.includes('restore')) sections.push(await restore(b, cleanup, { RUNS, KEYS, SIZE, TAIL }));
} catch (e) {
  const errors = b.browser.errors();
  if (errors.length > 0) process.stderr.write(`browser console errors:\n${errors.join('\n')}\n`);
  throw e;
} finally {
  await b.close();
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
}
// The machines are shared: say how busy this one was (2 cores; above ~2, others were running).
sections.push(`Load average (1 min) at start ${load0.toFixed(1)}, at end ${loadavg()[0].toFixed(1)}.\n`);
console.log(sections.join('\n'));

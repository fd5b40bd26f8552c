// Crash-test child: appends records to <dir>/log.aof through the node storage until killed.
// After each flush resolves it prints "flushed <bytes>": those bytes must survive a SIGKILL.
// Usage: append-child.ts <dir> <seed>
import { createNodeStorage } from '../src/storage.ts';
import { record } from './records.ts';

const [dir, seedArg] = process.argv.slice(2);
let seed = Number(seedArg) >>> 0 || 1;
/** xorshift32 from the seed fast-check chose: the child's choices replay with the test. */
const next = (): number => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>>= 0);
};

const storage = await createNodeStorage(dir!);
const file = await storage.openAppend('log.aof');
process.stdout.write('ready\n');
let i = 0;
let bytes = 0;
for (;;) {
  const n = 1 + (next() % 50);
  for (let k = 0; k < n; k++) {
    const r = record(i++);
    file.write(r);
    bytes += r.length;
  }
  const mode = next() % 4;
  const upTo = bytes;
  if (mode === 0) {
    // A flush nobody waits for, overlapping the next writes and flushes.
    void file.flush().then(() => process.stdout.write(`flushed ${upTo}\n`));
  } else if (mode === 1) {
    await new Promise((r) => setImmediate(r));
  } else {
    await file.flush();
    process.stdout.write(`flushed ${upTo}\n`);
  }
}

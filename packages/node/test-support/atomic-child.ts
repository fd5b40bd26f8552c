// Crash-test child: replaces <dir>/dump.rdb with snapshot 1, 2, 3, ... until killed, printing
// "done <v>" after each writeAtomic resolves. Odd versions arrive as chunks, even ones whole.
// Usage: atomic-child.ts <dir> <first version>
import { createNodeStorage } from '../src/storage.ts';
import { snapshot } from './records.ts';

const [dir, firstArg] = process.argv.slice(2);
const storage = await createNodeStorage(dir!);
process.stdout.write('ready\n');
async function* chunks(bytes: Uint8Array) {
  for (let o = 0; o < bytes.length; o += 40_000) {
    yield bytes.subarray(o, o + 40_000);
    if (o % 400_000 === 0) await new Promise((r) => setImmediate(r));
  }
}
for (let v = Number(firstArg); ; v++) {
  const bytes = snapshot(v);
  await storage.writeAtomic('dump.rdb', v % 2 === 1 ? chunks(bytes) : bytes);
  process.stdout.write(`done ${v}\n`);
}

// Lock-test child: opens <dir> and holds it until stdin closes, printing "locked <pid>"; or,
// when the directory is taken, prints "refused <code> <message>" and exits 3.
import { createNodeStorage } from '../src/storage.ts';

const [dir] = process.argv.slice(2);
try {
  const storage = await createNodeStorage(dir!);
  process.stdout.write(`locked ${process.pid}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void storage.close().then(() => process.exit(0)));
} catch (e) {
  const err = e as { code?: string; message?: string };
  process.stdout.write(`refused ${err.code} ${err.message}\n`);
  process.exit(3);
}

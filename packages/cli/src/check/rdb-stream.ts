/**
 * A stream value as 7.0.15's rdbLoadObject reads it (reference §1.9.6): listpack nodes keyed by
 * their master ID, the metadata, then consumer groups with their PELs and consumers. Short reads
 * are reported by rdb.c itself (rdbReportReadError), each with its own text. Each node's
 * listpack is validated as a listpack; the stream-specific layout inside it (master entry,
 * deltas, flags) is not, as redis-check-rdb's deep sanitization does.
 */
import { Corrupt, reading, type Rio } from './rdb-read.ts';
import { validBlob } from './blob.ts';

export function checkStream(r: Rio, type: number): void {
  const nodes = new Set<string>();
  for (let n = reading(2327, 'Stream listpacks len loading failed.', () => r.len()); n > 0; n--) {
    const key = reading(2338, 'Stream master ID loading failed: invalid encoding or I/O error.', () => r.string());
    if (key.length !== 16) throw new Corrupt(2343, 'Stream node key entry is not the size of a stream ID');
    const lp = reading(2355, 'Stream listpacks loading failed.', () => r.bytes());
    const valid = validBlob(lp, [18, 1, 2]);
    if (valid === 'invalid') throw new Corrupt(2362, 'Stream listpack integrity check failed.');
    if (valid === 'empty') throw new Corrupt(0, 'Empty listpack inside stream');
    if (nodes.has(key)) throw new Corrupt(0, 'Listpack re-added with existing key');
    nodes.add(key);
  }
  // Each group of lengths is read whole and checked once (rioGetReadError), as rdb.c does.
  const length = reading(2424, 'Stream object metadata loading failed.', () => {
    const len = r.lenAny();
    for (let i = type >= 19 ? 7 : 2; i > 0; i--) r.lenAny();
    return len;
  });
  if (length > 0 && nodes.size === 0) throw new Corrupt(2430, 'Stream length inconsistent with rax entries');
  const groups = new Set<string>();
  for (let g = reading(2438, 'Stream cgroup count loading failed.', () => r.len()); g > 0; g--) {
    const name = reading(2449, 'Error reading the consumer group name from Stream', () => r.string());
    reading(2458, 'Stream cgroup ID loading failed.', () => (r.lenAny(), r.lenAny()));
    if (type >= 19) reading(2469, 'Stream cgroup offset loading failed.', () => r.lenAny());
    if (groups.has(name)) throw new Corrupt(2480, `Duplicated consumer group name ${name}`);
    groups.add(name);
    const pel = new Map<string, boolean>();
    for (let p = reading(2495, 'Stream PEL size loading failed.', () => r.len()); p > 0; p--) {
      const id = reading(2502, 'Stream PEL ID loading failed.', () => r.raw(16));
      reading(2510, 'Stream PEL NACK loading failed.', () => (r.millis(), r.lenAny()));
      if (pel.has(id)) throw new Corrupt(2516, 'Duplicated global PEL entry loading stream consumer group');
      pel.set(id, false);
    }
    for (let c = reading(2527, 'Stream consumers num loading failed.', () => r.len()); c > 0; c--) {
      reading(2534, 'Error reading the consumer name from Stream group.', () => r.bytes());
      reading(2549, 'Stream short read reading seen time.', () => r.millis());
      if (type >= 21) reading(0, 'Stream short read reading active time.', () => r.millis());
      for (let p = reading(2558, 'Stream consumer PEL num loading failed.', () => r.len()); p > 0; p--) {
        const id = reading(2566, 'Stream short read reading PEL streamID.', () => r.raw(16));
        if (!pel.has(id)) throw new Corrupt(2573, 'Consumer entry not found in group global PEL');
        // Owned twice, by this consumer or another: 7.0.15 checks the NACK's owner first.
        if (pel.get(id)) throw new Corrupt(2583, 'Stream consumer PEL entry already has a consumer assigned');
        pel.set(id, true);
      }
    }
    for (const owned of pel.values()) if (!owned) throw new Corrupt(2611, 'Stream CG PEL entry without consumer');
  }
}

import { concatBytes } from '@larder/core';

// The crash tests' records: record i is "<i>:" then a filler whose length and byte depend on i,
// so any reordering, gap, duplicate or torn overwrite shows when the file is compared with them.
export function record(i: number): Uint8Array {
  const head = `${i}:`;
  const size = head.length + ((i * 7919) % 300) + 1;
  const out = new Uint8Array(size);
  for (let k = 0; k < head.length; k++) out[k] = head.charCodeAt(k);
  out.fill(97 + (i % 26), head.length, size - 1);
  out[size - 1] = 10;
  return out;
}

/** The bytes of records 0, 1, 2, ... until at least `length` bytes. */
export function recordsStream(length: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let n = 0;
  for (let i = 0; n < length; i++) {
    const r = record(i);
    parts.push(r);
    n += r.length;
  }
  return concatBytes(parts);
}

/** Snapshot version v for the atomic-write test: "V<v>;<size>;" then bytes that depend on v. */
export function snapshot(v: number): Uint8Array {
  const size = 200_000 + ((v * 104_729) % 3_000_000);
  const head = `V${v};${size};`;
  const out = new Uint8Array(size);
  for (let k = 0; k < head.length; k++) out[k] = head.charCodeAt(k);
  for (let k = head.length; k < size; k++) out[k] = (k * 31 + v) & 255;
  return out;
}

/** The version a file holds if it is exactly one whole snapshot, else undefined. */
export function snapshotVersion(bytes: Uint8Array): number | undefined {
  const m = /^V(\d+);(\d+);/.exec(String.fromCharCode(...bytes.subarray(0, 32)));
  if (!m) return undefined;
  const want = snapshot(Number(m[1]));
  if (want.length !== bytes.length || Number(m[2]) !== bytes.length) return undefined;
  for (let k = 0; k < want.length; k++) if (want[k] !== bytes[k]) return undefined;
  return Number(m[1]);
}

/**
 * Survey mode (LARDER_DIFF_SURVEY=<dir>): instead of stopping at the first mismatch, record every
 * distinct one (by command and by the kinds of the two replies) with its shortest example, and go
 * on as long as the datasets still agree. Used to list what is missing or wrong across a family
 * while it is being written; `<dir>/<family>.json` holds the result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Norm } from '../support/norm.ts';
import { compareState, mismatchInfo, type Mismatch } from './runner.ts';
import type { Session } from './session.ts';

interface Entry {
  signature: string;
  command: string;
  count: number;
  /** Shortest examples first (full failure text). */
  examples: string[];
  lengths: number[];
}

function kind(n: Norm | undefined): string {
  if (!n) return 'none';
  if (n.t === 'error') {
    return `error:${n.v.replace(/'[^']*'/g, "'…'").slice(0, 60)}`;
  }
  if (n.t === 'bad') return `bad:${n.v.slice(0, 40)}`;
  return n.t;
}

/** One snapshot difference without the key and the values: `encoding redis=hashtable larder=listpack`, `value differs`. */
function howDiffers(line: string): string {
  const d = line.replace(/^db\d+ "(?:[^"\\]|\\.)*": /, '');
  if (d.startsWith('value ')) return 'value differs';
  if (d.startsWith('expire-at ')) return 'expire-at differs';
  const only = /^only in (\w+) \((\w+)/.exec(d);
  if (only) return `${only[2]} key only in ${only[1]}`;
  return d.slice(0, 80);
}

export class Survey {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly dir: string,
    private readonly family: string,
  ) {}

  record(mismatch: Mismatch): void {
    const m = mismatchInfo(mismatch);
    const last = m.transcript[m.transcript.length - 1];
    const what = m.what.replace(/^step \d+: /, '');
    const l = last?.result.larder[0];
    let sig: string;
    if (what.includes('datasets differ')) {
      // Which key does not matter; what differs does (db0 "k1": encoding redis=hashtable larder=listpack).
      const how = [...new Set(m.detail.map(howDiffers))];
      sig = `${m.command} | ${what.replace(/ after the (sequence|setup commands|scenario)/, '')} | ${how.sort().join('; ')}`;
    } else if (l?.t === 'error' && l.v.startsWith('ERR unknown command') && !kind(last?.result.redis[0]).startsWith('error:ERR unknown command')) {
      sig = `${m.command} | not implemented (unknown command)`;
    } else {
      sig = `${m.command} | ${what} | redis ${kind(last?.result.redis[0])} | larder ${kind(l)}`;
    }
    let e = this.entries.get(sig);
    if (!e) this.entries.set(sig, (e = { signature: sig, command: m.command, count: 0, examples: [], lengths: [] }));
    e.count++;
    const len = m.transcript.length;
    if (e.examples.length < 3 || len < Math.max(...e.lengths)) {
      e.examples.push(mismatch.message);
      e.lengths.push(len);
      const order = e.lengths.map((l, i) => [l, i] as const).sort((a, b) => a[0] - b[0]).slice(0, 3);
      e.examples = order.map(([, i]) => e!.examples[i]!);
      e.lengths = order.map(([l]) => l);
    }
  }

  /** onMismatch for runSequence: record, then continue only while the datasets still agree. */
  handler(s: Session): (m: Mismatch) => Promise<boolean> {
    return async (m) => {
      this.record(m);
      if (mismatchInfo(m).what.startsWith('datasets')) return false;
      return (await compareState(s)).length === 0;
    };
  }

  write(): void {
    mkdirSync(this.dir, { recursive: true });
    const list = [...this.entries.values()].sort((a, b) => a.command.localeCompare(b.command) || b.count - a.count);
    writeFileSync(join(this.dir, `${this.family}.json`), JSON.stringify({ family: this.family, mismatches: list }, null, 2));
  }
}

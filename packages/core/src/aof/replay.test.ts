/**
 * The load path end to end on files redis-server 7.0.15 wrote: manifest → files to load → reader →
 * our engine, which must end up holding the dataset the server held (`expected.json`, read from
 * the server by the fixture script).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandTable } from '../commands/table.ts';
import { createEngine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import { ReplyError } from '../reply/errors.ts';
import { Double, formatDouble17g, MapReply, SetReply, Status, type Reply } from '../reply/reply.ts';
import { createAofReader } from './loader.ts';
import { planAofLoad, judgeStep } from './load-plan.ts';
import { decodeManifest } from './manifest.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url);

/** A reply as redis-server's RESP2 reply reads in the fixture script. */
function plain(r: Reply): unknown {
  if (r instanceof Status) return r.value;
  if (r instanceof Double) return formatDouble17g(r.value);
  if (r instanceof MapReply || r instanceof SetReply) return r.items.map(plain);
  if (Array.isArray(r)) return r.map(plain);
  return r;
}

async function call(c: Client, argv: string[]): Promise<unknown> {
  return plain(await c.exec(argv));
}

/** The fixture script's snapshot(), against our engine. */
async function snapshot(c: Client): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let db = 0; db < 16; db++) {
    await call(c, ['SELECT', String(db)]);
    const keys = ((await call(c, ['KEYS', '*'])) as string[]).sort();
    for (const key of keys) {
      const type = (await call(c, ['TYPE', key])) as string;
      const expireAt = await call(c, ['PEXPIRETIME', key]);
      const read: Record<string, string[]> = {
        string: ['GET', key],
        list: ['LRANGE', key, '0', '-1'],
        set: ['SMEMBERS', key],
        hash: ['HGETALL', key],
        zset: ['ZRANGE', key, '0', '-1', 'WITHSCORES'],
      };
      let value = await call(c, read[type]!);
      if (type === 'set') value = (value as string[]).sort();
      out.push({ db, key, type, expireAt, value });
    }
  }
  return out;
}

describe('replaying AOFs redis-server wrote into the engine', () => {
  it.each(['resp-ts', 'resp-ts-rewritten'])('%s', async (dir) => {
    const read = (f: string) => new Uint8Array(readFileSync(new URL(`${dir}/${f}`, fixtures)));
    const manifest = decodeManifest(read('appendonly.aof.manifest'));
    const plan = planAofLoad(manifest, (name) => read(name).length);
    if (plan.status !== 'load') throw new Error(plan.status);
    const engine = createEngine({ activeExpire: false });
    const client = engine.connect();
    for (const step of plan.steps) {
      const reader = createAofReader({ file: step.info.name, isCommand: (argv) => commandTable.get(argv[0]!) !== undefined });
      for (const argv of reader.push(read(step.info.name))) {
        const reply = await client.exec(argv);
        expect(reply, argv.join(' ')).not.toBeInstanceOf(ReplyError);
      }
      const result = reader.end();
      expect(result.status).toBe('ok');
      expect(judgeStep(step, result)).toEqual({ fatal: false, log: [] });
    }
    const expected = JSON.parse(readFileSync(new URL(`${dir}/expected.json`, fixtures), 'utf8')) as { dataset: unknown[] };
    expect(await snapshot(client)).toEqual(expected.dataset);
    engine.close();
  });
});

import { describe, expect, it } from 'vitest';
import { createEngine } from './engine.ts';
import { ReplyError } from '../reply/errors.ts';
import { OK } from '../reply/reply.ts';

describe('engine dispatch', () => {
  it('runs commands and reports Redis errors for unknown commands and arity', () => {
    const e = createEngine({ activeExpire: false });
    const c = e.connect();
    expect(c.exec(['SET', 'k', 'v'])).toBe(OK);
    expect(c.exec(['get', 'k'])).toBe('v');
    expect(c.exec(['GeT', 'k'])).toBe('v');
    const unknown = c.exec(['nope', 'a', 'b']) as ReplyError;
    expect(unknown.message).toBe("ERR unknown command 'nope', with args beginning with: 'a' 'b' ");
    expect((c.exec(['get']) as ReplyError).message).toBe("ERR wrong number of arguments for 'get' command");
    e.close();
  });

  it('propagates writes only, as executed', () => {
    const e = createEngine({ activeExpire: false });
    const ops: string[][] = [];
    e.propagation.listen((batch) => ops.push(...batch.map((o) => o.argv)));
    const c = e.connect();
    c.exec(['SET', 'a', '1']);
    c.exec(['GET', 'a']);
    expect(ops).toEqual([['SET', 'a', '1']]);
  });
});

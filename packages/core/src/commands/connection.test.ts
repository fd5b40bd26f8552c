/**
 * Connection commands and CLIENT, table-driven. Every expected reply was recorded from
 * redis-server 7.0.15 running the same steps (client ids and addresses aside). Replies are
 * compared in the plain form of testing.ts.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.ts';
import type { Client } from '../engine/client.ts';
import type { Reply } from '../reply/reply.ts';
import { plain, type Plain } from './testing.ts';

function setup() {
  const e = createEngine({ activeExpire: false, now: () => 1_700_000_000_000 });
  return { e, c: e.connect() };
}

const OK = { s: 'OK' };
const helloMap = (proto: number, id: number) => ({
  map: ['server', 'redis', 'version', '7.0.15', 'proto', proto, 'id', id, 'mode', 'standalone', 'role', 'master', 'modules', []],
});

const steps: Array<[string[], Plain]> = [
  [['ping'], { s: 'PONG' }],
  [['PING', 'hi'], 'hi'],
  [['ping', 'a', 'b'], { err: "ERR wrong number of arguments for 'ping' command" }],
  [['echo', 'x'], 'x'],
  [['echo'], { err: "ERR wrong number of arguments for 'echo' command" }],
  [['select', '1'], OK],
  [['select', '16'], { err: 'ERR DB index is out of range' }],
  [['select', '-1'], { err: 'ERR DB index is out of range' }],
  [['select', 'x'], { err: 'ERR value is not an integer or out of range' }],
  [['select', '99999999999'], { err: 'ERR value is out of range, value must between -2147483648 and 2147483647' }],
  [['select', '0'], OK],
  [['hello'], helloMap(2, 1)],
  [['hello', '4'], { err: 'NOPROTO unsupported protocol version' }],
  [['hello', '-1'], { err: 'NOPROTO unsupported protocol version' }],
  [['hello', 'x'], { err: 'ERR Protocol version is not an integer or out of range' }],
  [['hello', '3', 'setname'], { err: "ERR Syntax error in HELLO option 'setname'" }],
  [['hello', '3', 'setname', 'a b'], { err: 'ERR Client names cannot contain spaces, newlines or special characters.' }],
  [['hello', '3', 'auth', 'a', 'b'], { err: 'WRONGPASS invalid username-password pair or user is disabled.' }],
  [['hello', '2', 'foo'], { err: "ERR Syntax error in HELLO option 'foo'" }],
  [['hello', '2', 'auth', 'default', 'x', 'setname', 'bar', 'SETNAME', 'baz'], helloMap(2, 1)],
  [['client', 'getname'], 'baz'],
  [['auth', 'a', 'b', 'c'], { err: 'ERR syntax error' }],
  [['auth', 'x'], { err: 'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?' }],
  [['auth', 'default', 'x'], OK],
  [['auth', 'Default', 'x'], { err: 'WRONGPASS invalid username-password pair or user is disabled.' }],
  [['client', 'setname', 'foo'], OK],
  [['client', 'getname'], 'foo'],
  [['client', 'setname', ''], OK],
  [['client', 'getname'], null],
  [['client', 'setname', 'a\nb'], { err: 'ERR Client names cannot contain spaces, newlines or special characters.' }],
  [['client', 'setname'], { err: "ERR wrong number of arguments for 'client|setname' command" }],
  [['client', 'id'], 1],
  [['client', 'foo'], { err: "ERR unknown subcommand 'foo'. Try CLIENT HELP." }],
  [['client'], { err: "ERR wrong number of arguments for 'client' command" }],
  [['client', 'no-evict', 'on'], OK],
  [['client', 'no-evict', 'maybe'], { err: 'ERR syntax error' }],
  [['client', 'list', 'type', 'foo'], { err: "ERR Unknown client type 'foo'" }],
  [['client', 'list', 'id', '1', '2', 'abc'], { err: 'ERR Invalid client ID' }],
  [['client', 'list', 'id'], { err: 'ERR syntax error' }],
  [['client', 'list', 'foo'], { err: 'ERR syntax error' }],
  [['client', 'list', 'type', 'pubsub'], ''],
  [['client', 'kill', '1.2.3.4:5'], { err: 'ERR No such client' }],
  [['client', 'kill', 'id', '999'], 0],
  [['client', 'kill', 'id', 'abc'], { err: 'ERR client-id should be greater than 0' }],
  [['client', 'kill', 'id', '0'], { err: 'ERR client-id should be greater than 0' }],
  [['client', 'kill', 'foo', 'bar'], { err: 'ERR syntax error' }],
  [['client', 'kill', 'id'], { err: 'ERR No such client' }],
  [['client', 'kill', 'addr', '1.2.3.4:5'], 0],
  [['client', 'kill', 'user', 'nobody'], { err: "ERR No such user 'nobody'" }],
  [['client', 'kill', 'type', 'pubsub'], 0],
  [['client', 'kill', 'skipme', 'maybe'], { err: 'ERR syntax error' }],
  [['client', 'unblock', 'x'], { err: 'ERR value is not an integer or out of range' }],
  [['client', 'unblock', '1', 'foo'], { err: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR' }],
  [['client', 'unblock', '999'], 0],
  [['client', 'getredir'], -1],
  [['client', 'trackinginfo'], { map: ['flags', { set: ['off'] }, 'redirect', -1, 'prefixes', []] }],
];

describe('connection commands', () => {
  it('answer as Redis 7.0.15', () => {
    const { c } = setup();
    for (const [argv, want] of steps) expect([argv, plain(c.exec(argv))]).toEqual([argv, want]);
  });

  it('HELLO switches the protocol and RESP3 PING stays PONG while subscribed', () => {
    const { c } = setup();
    expect(plain(c.exec(['hello', '3']))).toEqual(helloMap(3, 1));
    expect(c.resp).toBe(3);
    c.exec(['subscribe', 'ch']);
    expect(plain(c.exec(['ping']))).toEqual({ s: 'PONG' });
    expect(plain(c.exec(['ping', 'x']))).toEqual('x');
    expect(plain(c.exec(['get', 'k']))).toEqual(null); // RESP3 clients may run anything while subscribed
  });

  it('PING answers ["pong", msg] to a subscribed RESP2 client, and other commands are refused', () => {
    const { c } = setup();
    c.exec(['ssubscribe', 's']);
    expect(plain(c.exec(['ping']))).toEqual(['pong', '']);
    expect(plain(c.exec(['ping', 'x']))).toEqual(['pong', 'x']);
    expect(plain(c.exec(['client', 'info']))).toEqual({
      err: "ERR Can't execute 'client|info': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
    });
  });

  it('RESET leaves MULTI, unwatches, unsubscribes silently, and goes back to db 0, RESP2, no name', () => {
    const { e, c } = setup();
    const pushes: Reply[] = [];
    const d = e.connect({ onPush: (m) => pushes.push(m) });
    d.exec(['hello', '3', 'setname', 'me']);
    d.exec(['select', '4']);
    d.exec(['watch', 'k']);
    d.exec(['subscribe', 'a']);
    d.exec(['psubscribe', 'p*']);
    d.exec(['client', 'no-evict', 'on']);
    d.exec(['multi']);
    expect(plain(d.exec(['reset']))).toEqual({ s: 'RESET' });
    expect([d.dbIndex, d.resp, d.name, d.multi, d.watched.size]).toEqual([0, 2, '', null, 0]);
    expect(plain(c.exec(['pubsub', 'numsub', 'a']))).toEqual(['a', 0]);
    expect(plain(c.exec(['pubsub', 'numpat']))).toEqual(0);
    expect(pushes).toEqual([]);
    expect(plain(d.exec(['client', 'info']))).toMatch(/ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 /);
  });

  it('QUIT answers OK, then closes: the host hears of it after the reply', async () => {
    const e = createEngine({ activeExpire: false });
    let closed = 0;
    const c = e.connect({ onClose: () => closed++ });
    c.exec(['subscribe', 'a']);
    expect(plain(c.exec(['quit']))).toEqual({ s: 'OK' });
    expect(c.closed).toBe(true);
    expect(e.clients.has(c.id)).toBe(false);
    expect(e.pubsub.channels.size).toBe(0);
    expect(closed).toBe(0);
    await Promise.resolve();
    expect(closed).toBe(1);
  });
});

describe('CLIENT LIST / INFO / KILL', () => {
  const line = (s: Plain) => String(s).trimEnd().split('\n');

  it('print Redis 7.0.15 line format with each client state', () => {
    let t = 1_700_000_000_000;
    const e = createEngine({ activeExpire: false, now: () => t });
    const a = e.connect({ addr: '10.0.0.1:5000', laddr: '127.0.0.1:6379' });
    const b = e.connect({ addr: '10.0.0.2:5001', laddr: '127.0.0.1:6379' });
    const m = e.connect({ addr: '10.0.0.3:5002', laddr: '127.0.0.1:6379' });
    b.exec(['client', 'setname', 'bee']);
    b.exec(['subscribe', 'x', 'y']);
    b.exec(['psubscribe', 'p*']);
    m.exec(['multi']);
    m.exec(['set', 'a', 'b']);
    t += 3000;
    const lines = line(plain(a.exec(['client', 'list'])));
    expect(lines).toEqual([
      'id=1 addr=10.0.0.1:5000 laddr=127.0.0.1:6379 fd=-1 name= age=3 idle=3 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=26 qbuf-free=20448 argv-mem=10 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=23442 events=r cmd=client|list user=default redir=-1 resp=2',
      'id=2 addr=10.0.0.2:5001 laddr=127.0.0.1:6379 fd=-1 name=bee age=3 idle=3 flags=P db=0 sub=2 psub=1 ssub=0 multi=-1 qbuf=0 qbuf-free=20474 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=23432 events=r cmd=psubscribe user=default redir=-1 resp=2',
      'id=3 addr=10.0.0.3:5002 laddr=127.0.0.1:6379 fd=-1 name= age=3 idle=3 flags=x db=0 sub=0 psub=0 ssub=0 multi=1 qbuf=0 qbuf-free=20474 argv-mem=0 multi-mem=29 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=23461 events=r cmd=set user=default redir=-1 resp=2',
    ]);
    expect(line(plain(a.exec(['client', 'list', 'type', 'pubsub'])))).toEqual([lines[1]]);
    expect(line(plain(a.exec(['client', 'list', 'id', '3', '99', '2'])))).toEqual([lines[2], lines[1]]);
    expect(plain(m.exec(['client', 'info']))).toEqual({ s: 'QUEUED' });
  });

  it('KILL closes the matching clients; the old form answers OK; SKIPME no kills oneself after the reply', async () => {
    const e = createEngine({ activeExpire: false });
    const closed: number[] = [];
    const mk = (addr: string) => {
      const c: Client = e.connect({ addr, onClose: () => closed.push(c.id) });
      return c;
    };
    const a = mk('10.0.0.1:1');
    const b = mk('10.0.0.2:2');
    const s = mk('10.0.0.3:3');
    s.exec(['subscribe', 'ch']);
    expect(plain(a.exec(['client', 'kill', 'type', 'pubsub']))).toEqual(1);
    expect(s.closed).toBe(true);
    expect(plain(a.exec(['client', 'kill', '10.0.0.2:2']))).toEqual({ s: 'OK' });
    expect(b.closed).toBe(true);
    expect(plain(a.exec(['client', 'kill', 'id', String(a.id)]))).toEqual(0);
    expect(plain(a.exec(['client', 'kill', 'id', String(a.id), 'skipme', 'no']))).toEqual(1);
    expect(a.closed).toBe(true);
    expect(closed).toEqual([s.id, b.id]);
    await Promise.resolve();
    expect(closed).toEqual([s.id, b.id, a.id]);
  });
});

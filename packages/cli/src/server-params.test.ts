// The parameters larder serve adds (server-params.ts); test/differential/config-params.test.ts
// compares them with redis-server's.
import { describe, expect, it } from 'vitest';
import { Config } from '@larder/core';
import { expandProcTitle } from './proc-title.ts';
import { SERVE_PARAMS } from './server-params.ts';

const error = (f: () => void): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe("larder serve's parameters", () => {
  it('are unknown to an engine that did not add them', () => {
    expect(new Config().has('pidfile')).toBe(false);
    expect(new Config(SERVE_PARAMS).text('pidfile')).toBe('');
  });

  it('keeps client-output-buffer-limit exact past 2^53, wrapping as memtoull multiplies', () => {
    const c = new Config(SERVE_PARAMS);
    c.set('client-output-buffer-limit', 'normal 9999999999999999gb 99999999999999999999 1');
    expect(c.text('client-output-buffer-limit')).toBe('normal 11236551437959823360 18446744073709551615 1 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
  });

  it('sets only the classes a client-output-buffer-limit value names, at start-up too', () => {
    const c = new Config(SERVE_PARAMS);
    c.setMany([['client-output-buffer-limit', 'pubsub 1 2 3 replica 4 5 6']], true);
    c.set('client-output-buffer-limit', 'Normal 7 8 9');
    expect(c.text('client-output-buffer-limit')).toBe('normal 7 8 9 slave 4 5 6 pubsub 1 2 3');
    expect(error(() => c.set('client-output-buffer-limit', 'pubsub 0 0 0 master 1 1 1'))).toMatch(/Invalid client class specified in buffer limit configuration\.$/);
    expect(c.text('client-output-buffer-limit')).toBe('normal 7 8 9 slave 4 5 6 pubsub 1 2 3');
  });

  it('expands proc-title-template as sdstemplate does', () => {
    const vars = { title: '/bin/larder', 'listen-addr': '127.0.0.1:6379', 'server-mode': '', port: '6379', 'tls-port': '0', unixsocket: '', 'config-file': '-' };
    expect(expandProcTitle('{title} {listen-addr} {server-mode}', vars)).toBe('/bin/larder 127.0.0.1:6379');
    expect(expandProcTitle(' {{x} }{port}} ', vars)).toBe('{x} }6379}');
    expect([expandProcTitle('{nope}', vars), expandProcTitle('a {', vars), expandProcTitle('{port', vars)]).toEqual([undefined, undefined, undefined]);
  });
});

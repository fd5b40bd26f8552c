/**
 * Test helpers for the server tests: a server for a test file, a raw TCP conversation with it, and
 * RESP request builders. Kept outside src/ so they are never built into dist/.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { createEngine, type Client, type Engine } from '@larder/core';
import { ReplyDecoder, type RespValue } from '@larder/core/resp';
import { startServer, type LarderServer } from '../src/server.ts';

export const run = promisify(execFile);

export const bulk = (s: string): string => `$${s.length}\r\n${s}\r\n`;
export const cmd = (...argv: string[]): string => `*${argv.length}\r\n${argv.map(bulk).join('')}`;

/** A raw TCP conversation: what was received so far, and whether the server closed. */
export class Conn {
  readonly socket: Socket;
  received = '';
  closed = false;
  private waiters: Array<() => void> = [];

  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('data', (d) => {
      this.received += d.toString('latin1');
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    this.socket.on('error', () => {});
  }

  send(s: string): void {
    this.socket.write(Buffer.from(s, 'latin1'));
  }

  /** Waits until `received` has at least `n` bytes (or the socket closes), then takes them. */
  async read(n: number, timeoutMs = 2000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < n && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.max(1, deadline - Date.now()));
      });
    }
    const out = this.received.slice(0, n);
    this.received = this.received.slice(out.length);
    return out;
  }

  /** Waits for one complete reply and takes its bytes; returns it decoded too. */
  async readReply(timeoutMs = 2000): Promise<[RespValue, string]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let value: RespValue | undefined;
      let size = 0;
      const d = new ReplyDecoder({ onReply: (v) => (value = v), onPush: (v) => (value = v) });
      for (let i = 0; i < this.received.length && value === undefined; i++) {
        d.feed(Buffer.from(this.received[i]!, 'latin1'));
        size = i + 1;
      }
      if (value !== undefined) {
        const bytes = this.received.slice(0, size);
        this.received = this.received.slice(size);
        return [value, bytes];
      }
      if (this.closed || Date.now() >= deadline) throw new Error(`no complete reply in ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, Math.max(1, deadline - Date.now()));
      });
    }
  }

  /** Sends `s` and reads exactly as many bytes as `expected` has. */
  async roundTrip(s: string, expected: string): Promise<void> {
    this.send(s);
    expect(await this.read(expected.length)).toBe(expected);
  }

  /** Resolves once the server has closed the connection. */
  async waitClosed(timeoutMs = 2000): Promise<boolean> {
    await this.read(Number.MAX_SAFE_INTEGER, timeoutMs);
    return this.closed;
  }

  /** True when nothing arrives for `ms`. */
  async silentFor(ms: number): Promise<boolean> {
    await new Promise((r) => setTimeout(r, ms));
    return this.received.length === 0;
  }

  end(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** Polls `cond` until it holds, failing after `timeoutMs`. */
export async function waitFor(cond: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface TestServer {
  readonly engine: Engine;
  readonly port: number;
  /** Runs redis-cli against the server; its stdout. */
  cli(...args: string[]): Promise<string>;
  /** The engine's client for a connection, found by its address. */
  engineClient(c: Conn): Client;
}

/** A server on a fresh engine, started before the file's tests and closed after them (call at top level). */
export function serveForTests(): TestServer {
  let engine: Engine;
  let server: LarderServer;
  beforeAll(async () => {
    engine = createEngine();
    server = await startServer({ engine, port: 0 });
  });
  afterAll(async () => {
    await server.close();
    engine.close();
  });
  return {
    get engine() {
      return engine;
    },
    get port() {
      return server.port;
    },
    cli: async (...args) => (await run('redis-cli', ['-p', String(server.port), ...args])).stdout,
    engineClient(c) {
      const addr = `127.0.0.1:${c.socket.localPort}`;
      return [...engine.clients.values()].find((x) => x.addr === addr)!;
    },
  };
}

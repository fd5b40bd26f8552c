/**
 * `larder serve`: a RESP server over TCP, one engine client per connection (see connection.ts).
 * Any Redis client, redis-cli and redis-benchmark can talk to it.
 */
import { createServer, type Socket } from 'node:net';
import type { Engine } from '@larder/core';
import { serveConnection } from './connection.ts';

export interface ServeOptions {
  engine: Engine;
  /** Default 6379; 0 picks a free port (see `LarderServer.port`). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Receives failures that are bugs (a handler threw something other than a ReplyError). */
  onError?: (e: unknown) => void;
}

export interface LarderServer {
  readonly port: number;
  readonly host: string;
  /** Stops listening and drops every connection. */
  close(): Promise<void>;
}

export function startServer(opts: ServeOptions): Promise<LarderServer> {
  const { engine } = opts;
  const host = opts.host ?? '127.0.0.1';
  const onError = opts.onError ?? ((e: unknown) => console.error(e));
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(engine, socket, onError);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 6379, host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : (opts.port ?? 6379);
      resolve({
        port,
        host,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}

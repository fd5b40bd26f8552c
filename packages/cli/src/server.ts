/**
 * `larder serve`: a RESP server over TCP, one engine client per connection (see connection.ts).
 * Any Redis client, redis-cli and redis-benchmark can talk to it. INFO stats counts its network
 * traffic as Redis does (bytes in and out, socket reads and writes), which an engine without
 * sockets reports as 0.
 */
import { createServer, type Socket } from 'node:net';
import { InstantMetric, setInfoFields, type Engine } from '@larder/core';
import { serveConnection, type IoCounts } from './connection.ts';

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
  const io: IoCounts = { reads: 0, writes: 0 };
  /** Bytes of the connections already closed; open ones are read off their sockets. */
  const closed = { read: 0, written: 0 };
  const server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closed.read += socket.bytesRead;
      closed.written += socket.bytesWritten;
    });
    serveConnection(engine, socket, onError, io);
  });
  const traffic = (): [read: number, written: number] => {
    let read = closed.read;
    let written = closed.written;
    for (const s of sockets) {
      read += s.bytesRead;
      written += s.bytesWritten;
    }
    return [read, written];
  };
  const inRate = new InstantMetric(engine.now());
  const outRate = new InstantMetric(engine.now());
  const sampleRates = (): void => {
    const [read, written] = traffic();
    inRate.sample(engine.now(), read);
    outRate.sample(engine.now(), written);
  };
  engine.cronJobs.push(sampleRates);
  const kbps = (m: InstantMetric): string => (m.perSecond / 1024).toFixed(2);
  setInfoFields(engine, 'stats', () => {
    const [read, written] = traffic();
    return [
      ['total_net_input_bytes', read], ['total_net_output_bytes', written],
      ['instantaneous_input_kbps', kbps(inRate)], ['instantaneous_output_kbps', kbps(outRate)],
      ['total_reads_processed', io.reads], ['total_writes_processed', io.writes],
    ];
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
            const job = engine.cronJobs.indexOf(sampleRates);
            if (job >= 0) engine.cronJobs.splice(job, 1);
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}

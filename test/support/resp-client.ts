/**
 * A minimal Redis client over node:net for the oracle side: write commands, read frames in order.
 * `call` is one command, one frame; pub/sub and blocking tests use `send` and `read` directly, and
 * `pipeline` writes many commands at once and reads as many frames.
 */
import { connect, type Socket } from 'node:net';
import { encodeCommand, RespDecoder } from './resp-codec.ts';
import type { Norm } from './norm.ts';

/** How long a read may wait before the test fails instead of hanging (a command that blocked). */
const READ_TIMEOUT_MS = 15_000;

export class RespClient {
  private readonly decoder = new RespDecoder();
  private readonly frames: Norm[] = [];
  private readonly waiters: Array<{ resolve: (n: Norm) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }> = [];
  private failure: Error | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.decoder.push(chunk);
      try {
        for (let f = this.decoder.next(); f !== undefined; f = this.decoder.next()) this.deliver(f);
      } catch (e) {
        this.fail(e as Error);
      }
    });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed by redis-server')));
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RespClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host });
      s.once('connect', () => {
        s.off('error', reject);
        resolve(new RespClient(s));
      });
      s.once('error', reject);
    });
  }

  send(argv: readonly string[]): void {
    this.socket.write(encodeCommand(argv));
  }

  /** The next frame, in arrival order. */
  read(timeoutMs = READ_TIMEOUT_MS): Promise<Norm> {
    const f = this.frames.shift();
    if (f !== undefined) return Promise.resolve(f);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const w = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const i = this.waiters.indexOf(w);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new Error(`redis-server sent no reply within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  /** Frames already received and not yet read. */
  get pending(): number {
    return this.frames.length;
  }

  async call(argv: readonly string[]): Promise<Norm> {
    this.send(argv);
    return this.read();
  }

  async pipeline(cmds: ReadonlyArray<readonly string[]>): Promise<Norm[]> {
    if (cmds.length === 0) return [];
    this.socket.write(Buffer.concat(cmds.map(encodeCommand)));
    const out: Norm[] = [];
    for (let i = 0; i < cmds.length; i++) out.push(await this.read());
    return out;
  }

  close(): void {
    this.socket.destroy();
  }

  private deliver(f: Norm): void {
    const w = this.waiters.shift();
    if (w) {
      clearTimeout(w.timer);
      w.resolve(f);
    } else {
      this.frames.push(f);
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(e);
    }
  }
}

/** Types of redis.mjs, the throwaway redis-server helper of the RDB tests. */
export type RespValue = string | number | null | { error: string } | RespValue[];

export interface TestServer {
  readonly port: number;
  readonly pid: number;
  call(argv: ReadonlyArray<string | Uint8Array>): Promise<RespValue>;
  close(): void;
  stop(): Promise<void>;
  log(): string;
}

export interface KeySnapshot {
  db: number;
  key: string;
  type: string;
  encoding: string;
  expireAt: number;
  value: unknown;
}

export function redisAvailable(): boolean;
export function startServer(dir: string, args?: readonly string[]): Promise<TestServer>;
export function snapshot(srv: TestServer, databases?: number): Promise<KeySnapshot[]>;

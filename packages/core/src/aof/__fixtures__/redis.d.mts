/** Types of redis.mjs, the throwaway redis-server helper of the AOF tests. */
export type RespValue = string | number | null | { error: string } | RespValue[];

/** A server that answered (`ok`), or one that exited first (its exit `code`): `call` and `stop` exist only when `ok`. */
export interface AofServer {
  ok: boolean;
  code?: number | null;
  call(argv: ReadonlyArray<string>): Promise<any>;
  stop(): Promise<void>;
  log(): string;
}

export interface ToolRun {
  stdout: string;
  code: number | null;
}

export function redisAvailable(): boolean;
export function startServer(dir: string, args?: readonly string[], conf?: string): Promise<AofServer>;
export function checkAof(args: readonly string[], cwd: string, input?: string): ToolRun;
export function logMessages(log: string): string[];
export function snapshot(srv: { call(argv: ReadonlyArray<string>): Promise<any> }, databases?: number): Promise<Array<{ db: number; key: string; type: string; expireAt: number; value: any }>>;

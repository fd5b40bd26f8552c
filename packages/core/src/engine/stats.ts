/** Counters behind INFO stats and INFO commandstats / errorstats. */

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

export class Stats {
  connections = 0;
  commandsProcessed = 0;
  expiredKeys = 0;
  keyspaceMisses = 0;
  totalErrorReplies = 0;
  /** Error prefix → count (INFO errorstats). */
  readonly errors = new Map<string, number>();
  /** Full command name (`config|get`) → counters. */
  readonly commands = new Map<string, CommandStats>();

  constructor(readonly startedAt: number) {}

  command(name: string): CommandStats {
    let s = this.commands.get(name);
    if (!s) this.commands.set(name, (s = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 }));
    return s;
  }

  error(prefix: string): void {
    this.totalErrorReplies++;
    this.errors.set(prefix, (this.errors.get(prefix) ?? 0) + 1);
  }

  reset(): void {
    this.commands.clear();
    this.errors.clear();
    this.totalErrorReplies = 0;
    this.expiredKeys = 0;
    this.keyspaceMisses = 0;
    this.commandsProcessed = 0;
  }
}

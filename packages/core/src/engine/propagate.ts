/**
 * Propagation: the commands that reproduce a write's effect, which the AOF records (reference
 * §2.2). Everything one execution unit (a command, an EXEC, a served blocked client, an expiry)
 * propagates is gathered and delivered at the unit's end, wrapped in MULTI/EXEC when it holds more
 * than one command, as Redis's propagatePendingCommands does, except for a unit that is a command
 * touching arbitrary keys (SCAN, RANDOMKEY) run directly: its lazy-expiry DELs go unwrapped.
 */

/** One propagated command: the db it applies to and its arguments. */
export interface PropagatedOp {
  db: number;
  argv: string[];
}

export type PropagationListener = (ops: readonly PropagatedOp[]) => void;

export class Propagation {
  private readonly listeners: PropagationListener[] = [];
  private ops: PropagatedOp[] = [];
  /** Nesting depth of execution units; ops are delivered when the outermost one ends. */
  private depth = 0;
  /** The command of the outermost unit, if it is one: its flags say whether to wrap (see end). */
  private unit: { readonly flags: readonly string[] } | undefined;

  /** True when someone listens; handlers may skip building rewritten argv otherwise. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  listen(fn: PropagationListener): () => void {
    this.listeners.push(fn);
    return () => {
      const i = this.listeners.indexOf(fn);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /**
   * Adds to the unit under way (alsoPropagate); outside any unit (active expiry) the command is
   * delivered at once, on its own.
   */
  add(db: number, argv: string[]): void {
    if (this.listeners.length === 0) return;
    if (this.depth > 0) this.ops.push({ db, argv });
    else for (const fn of this.listeners) fn([{ db, argv }]);
  }

  /** Begins a unit, of command `spec` if it is one; only the outermost one's counts (a SCAN inside EXEC is wrapped). */
  begin(spec?: { readonly flags: readonly string[] }): void {
    if (this.depth++ === 0) this.unit = spec;
  }

  end(): void {
    if (--this.depth > 0 || this.ops.length === 0) return;
    let ops = this.ops;
    this.ops = [];
    // A command touching arbitrary keys (SCAN, RANDOMKEY) run directly: its lazy-expiry DELs go
    // unwrapped. Looked up here, where it is rare, rather than for every command in begin().
    if (ops.length > 1 && !this.unit?.flags.includes('touches_arbitrary_keys')) {
      // Redis 7.0.15 propagates MULTI with the db of the first command, so a SELECT lands before
      // MULTI, not inside it (checked against its AOF); EXEC with the last one's, so none precedes it.
      ops = [{ db: ops[0]!.db, argv: ['MULTI'] }, ...ops, { db: ops[ops.length - 1]!.db, argv: ['EXEC'] }];
    }
    for (const fn of this.listeners) fn(ops);
  }
}

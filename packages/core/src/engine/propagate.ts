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
  /** The outermost unit is a command flagged `touches_arbitrary_keys`: no MULTI/EXEC around its ops. */
  private noMulti = false;

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

  add(db: number, argv: string[]): void {
    if (this.listeners.length > 0) this.ops.push({ db, argv });
  }

  /** Adds to the unit under way, or delivers at once when none is (alsoPropagate outside call()). */
  addOrEmit(db: number, argv: string[]): void {
    if (this.depth > 0) this.add(db, argv);
    else this.emitNow(db, argv);
  }

  /** Delivers one command at once, outside any unit (Redis's propagateNow). */
  emitNow(db: number, argv: string[]): void {
    if (this.listeners.length === 0) return;
    const ops = [{ db, argv }];
    for (const fn of this.listeners) fn(ops);
  }

  /** Begins a unit; `noMulti` counts only for the outermost one (a SCAN inside EXEC is wrapped). */
  begin(noMulti = false): void {
    if (this.depth++ === 0) this.noMulti = noMulti;
  }

  end(): void {
    if (--this.depth > 0 || this.ops.length === 0) return;
    let ops = this.ops;
    this.ops = [];
    if (ops.length > 1 && !this.noMulti) {
      // Redis 7.0.15 propagates MULTI with the db of the first command, so a SELECT lands before
      // MULTI, not inside it (checked against its AOF); EXEC with the last one's, so none precedes it.
      ops = [{ db: ops[0]!.db, argv: ['MULTI'] }, ...ops, { db: ops[ops.length - 1]!.db, argv: ['EXEC'] }];
    }
    for (const fn of this.listeners) fn(ops);
  }
}

/**
 * One crash suite per appendfsync policy (crash-<policy>.test.ts run in parallel): a server on a
 * fresh directory, then trials that each write, maybe start BGSAVE or BGREWRITEAOF, SIGKILL the
 * server, restart it on the same directory and check the recovered state against the history.
 * Trials chain: each one starts from the state the previous restart recovered, so recovery from
 * a torn incr file, a half-written base or a dead rewrite's leftovers is itself crashed into.
 *
 * A SIGKILL loses the process, not the kernel: bytes handed to write(2) survive it. So this checks
 * what the process controls; what an OS crash adds per policy is stated in packages/node/README.md.
 */
import { afterAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backgroundJobs, fire, preload, readState, sleep, startLarder, writeUntilDropped, type Server, type WriteLog } from './harness.ts';

export type Policy = 'always' | 'everysec' | 'no';

export function crashSuite(policy: Policy, numRuns = 20): void {
  const dir = mkdtempSync(join(tmpdir(), `larder-crash-${policy}-`));
  let server: Server | undefined;
  afterAll(async () => {
    await server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  // Small auto-rewrite thresholds so that automatic rewrites happen (and get killed) too.
  const args = [
    '--dir', dir, '--appendonly', 'yes', '--appendfsync', policy, '--save', '',
    '--auto-aof-rewrite-min-size', '1mb', '--auto-aof-rewrite-percentage', '50',
  ];

  it(`recovers a prefix of the history after SIGKILL (appendfsync ${policy})`, async () => {
    server = await startLarder(args);
    await preload(server.port, 3000, 1000);
    let recovered = 0;
    const stats = { trials: 0, lostAcked: 0, trialsLosingAcked: 0, maxLostAcked: 0, lostOutsideRewrite: 0, killedInRewrite: 0, killedInBgsave: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom('none', 'bgsave', 'bgrewriteaof'),
        fc.integer({ min: 0, max: 150 }),
        async (killAfter, bg, bgAt) => {
          const s = server!;
          const log: WriteLog = { sent: recovered, ackAt: [], wrong: undefined };
          const writing = writeUntilDropped(s.port, recovered, log);
          if (bg !== 'none') setTimeout(() => void fire(s.port, [bg]).catch(() => {}), Math.min(bgAt, killAfter));
          await sleep(killAfter);
          // The server must still be up here: only our SIGKILL may end it. Its output says why not.
          const jobs = await backgroundJobs(s.port).catch((e: unknown) => {
            throw new Error(`larder serve died before the kill: ${String(e)}\n${s.output().slice(-4000)}`);
          });
          const killedAt = Date.now();
          await s.kill();
          await writing;
          if (jobs.rewrite) stats.killedInRewrite++;
          if (jobs.bgsave) stats.killedInBgsave++;

          // Every restart must succeed, whatever the kill left behind.
          server = await startLarder(args);
          const state = await readState(server.port);
          expect(log.wrong).toBeUndefined();
          expect(state.notPrefix).toBeUndefined();
          expect(state.ops).toBeGreaterThanOrEqual(recovered);
          expect(state.ops).toBeLessThanOrEqual(log.sent);
          let acked = recovered;
          while (log.ackAt[acked] !== undefined) acked++;
          let ackedLongBefore = recovered;
          while (log.ackAt[ackedLongBefore] !== undefined && log.ackAt[ackedLongBefore]! < killedAt - 2000) ackedLongBefore++;
          // A killed process loses no acknowledged write under any policy: replies are released only
          // once the AOF bytes are in the kernel (and, under `always`, on disk). The policies differ
          // on a machine crash, which a process kill does not test.
          expect(state.ops).toBeGreaterThanOrEqual(acked);
          // The weaker promise everysec makes for a machine crash, kept as a floor in case the above is relaxed.
          if (policy === 'everysec') expect(state.ops).toBeGreaterThanOrEqual(ackedLongBefore);
          stats.trials++;
          if (state.ops < acked) {
            stats.trialsLosingAcked++;
            stats.lostAcked += acked - state.ops;
            stats.maxLostAcked = Math.max(stats.maxLostAcked, acked - state.ops);
            if (!jobs.rewrite) stats.lostOutsideRewrite += acked - state.ops;
          }
          recovered = state.ops;
        },
      ),
      { numRuns, endOnFailure: true },
    );
    // What SIGKILL cost in acknowledged writes, for the README's claims.
    console.log(`crash ${policy}: ${JSON.stringify({ ...stats, historyOps: recovered })}`);
  }, 170_000);
}

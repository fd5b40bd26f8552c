/**
 * The storage conformance suite under vitest: every case of conformance.ts as an `it`. Each
 * adapter's test file calls `runStorageConformance` with a factory; cases an adapter cannot show
 * in-process (a crash) run only when the factory provides them. The browser adapter runs the same
 * cases inside a worker (test/browser/storage.test.ts).
 */
import { describe, it } from 'vitest';
import { conformanceCases, type ConformanceTarget } from './conformance.ts';

export type { ConformanceTarget } from './conformance.ts';

export function runStorageConformance(name: string, target: ConformanceTarget): void {
  describe(`storage conformance: ${name}`, () => {
    for (const c of conformanceCases) {
      it.runIf(c.needs !== 'crash' || target.crash !== undefined)(c.name, () => c.run(target));
    }
  });
}

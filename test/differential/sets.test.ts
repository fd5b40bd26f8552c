import { diffSuite } from './harness.ts';
import { sets } from './commands/sets.ts';

diffSuite(sets);

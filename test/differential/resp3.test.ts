import { diffSuite } from './harness.ts';
import { resp3 } from './commands/mixed.ts';

diffSuite(resp3);

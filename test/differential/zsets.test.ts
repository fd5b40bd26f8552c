import { diffSuite } from './harness.ts';
import { zsets } from './commands/zsets.ts';

diffSuite(zsets);

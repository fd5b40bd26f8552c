import { diffSuite } from './harness.ts';
import { lists } from './commands/lists.ts';

diffSuite(lists);

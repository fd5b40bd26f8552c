import { diffSuite } from './harness.ts';
import { mixed } from './commands/mixed.ts';

diffSuite(mixed);

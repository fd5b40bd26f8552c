import { diffSuite } from './harness.ts';
import { strings } from './commands/strings.ts';

diffSuite(strings);

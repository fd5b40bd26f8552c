import { diffSuite } from './harness.ts';
import { generic } from './commands/generic.ts';

diffSuite(generic);

import { diffSuite } from './harness.ts';
import { hashes } from './commands/hashes.ts';

diffSuite(hashes);

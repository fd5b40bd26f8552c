import { diffSuite } from './harness.ts';
import { bitmaps } from './commands/bitmaps.ts';

diffSuite(bitmaps);

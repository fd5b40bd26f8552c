import { diffSuite } from './harness.ts';
import { pubsub } from './commands/pubsub.ts';

diffSuite(pubsub);

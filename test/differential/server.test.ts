import { diffSuite } from './harness.ts';
import { server } from './commands/server.ts';

diffSuite(server);

import { diffSuite } from './harness.ts';
import { notifications } from './commands/notifications.ts';

diffSuite(notifications);

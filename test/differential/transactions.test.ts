import { diffSuite } from './harness.ts';
import { transactions } from './commands/transactions.ts';

diffSuite(transactions);

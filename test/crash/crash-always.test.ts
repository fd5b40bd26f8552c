import { crashSuite } from './suite.ts';

crashSuite('always');

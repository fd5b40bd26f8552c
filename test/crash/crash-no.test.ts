import { crashSuite } from './suite.ts';

crashSuite('no');

import { crashSuite } from './suite.ts';

crashSuite('everysec');

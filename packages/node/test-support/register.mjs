// `node --import <this file> child.ts`: runs Larder's TypeScript sources in a child process.
import { register } from 'node:module';

register('./ts-loader.mjs', import.meta.url);

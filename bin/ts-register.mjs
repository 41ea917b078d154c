// `node --import ./bin/ts-register.mjs file.ts`: run this repository's TypeScript with Node 20+.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);

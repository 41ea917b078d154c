/** The handlers of the template's functions, called in-process: local/stack/functions.ts. */
export type { LambdaHandler } from '../../local/stack/index.js';

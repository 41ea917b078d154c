export { freePort } from '../../local/services/index.js';

export { startSqsEmulator } from '../../local/services/index.js';

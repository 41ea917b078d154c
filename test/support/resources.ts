export { createQueues, createTables, type CreatedQueue, type CreatedTable } from '../../local/services/index.js';
export { uniqueStackName } from '../../local/stack/index.js';

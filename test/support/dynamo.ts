export { dynamoDbLocalDir, startDynamoDbLocal, type RunningService } from '../../local/services/index.js';

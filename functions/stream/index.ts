import { appFromEnv, planFanOut, messageStreamHandler } from '@roomcast/core';

const app = appFromEnv();

/** DynamoDB stream of the messages table: fan out messages published in other regions. */
export const handler = messageStreamHandler(app, (message) => planFanOut(app, message));

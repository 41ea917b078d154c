import { appFromEnv, deliver, deliveryJobHandler } from '@roomcast/core';

const app = appFromEnv();

/** SQS: post each delivery job's frame to its connections; report only what still fails. */
export const handler = deliveryJobHandler(app, (job) => deliver(app, job));
